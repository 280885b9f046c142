/* SPDX-License-Identifier: MIT */
/* The library's own version at run time (igdpt/igdpt.h). */
#include "igdpt/igdpt.h"

const char *igdpt_version(void)
{
	return IGDPT_VERSION_STRING;
}

unsigned igdpt_version_number(void)
{
	return IGDPT_VERSION_NUMBER;
}
