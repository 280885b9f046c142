// SPDX-License-Identifier: MIT
// The C++ side of the consumer test: every installed header in one C++
// translation unit (C linkage, no C-only constructs), and a few calls
// through the shared library.
#include <igdpt/igdpt.h>
#include <igdpt/abi/events.h>
#include <igdpt/abi/probe_report.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

IGDPT_STATIC_ASSERT(IGDPT_OPREGION_BASE_SIZE == 0x2000u, "the ABI constants are usable in C++");

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			std::fprintf(stderr, "consumer.cpp:%d: %s\n", __LINE__, #cond); \
			return 1;                                                    \
		}                                                                    \
	} while (0)

int main()
{
	std::vector<uint8_t> image(IGDPT_OPREGION_BASE_SIZE);
	size_t len = 0;
	char msg[256];
	igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);
	igdpt_decode_options opt = IGDPT_DECODE_OPTIONS_INIT;
	igdpt_decoded *dec = nullptr;
	igdpt_vbt vbt;

	CHECK(std::string(igdpt_version()) == IGDPT_VERSION_STRING);
	CHECK(igdpt_build_reference_vbt(nullptr, 0, &len) == -ENOSPC);
	image.resize(len);
	CHECK(igdpt_build_reference_vbt(image.data(), image.size(), &len) == 0);
	CHECK(igdpt_vbt_parse(image.data(), len, &vbt, &diag) == 0);
	CHECK(vbt.bdb_version == IGDPT_BUILD_REFERENCE_BDB_VERSION);

	opt.block = IGDPT_BDB_GENERAL_DEFINITIONS;
	CHECK(igdpt_decode(image.data(), len, "vbt", &opt, &dec) == 0);
	CHECK(dec->blocks_kept == 1 && dec->blocks[0].id == IGDPT_BDB_GENERAL_DEFINITIONS);
	igdpt_decoded_free(dec);

	CHECK(std::string(igdpt_vbt_dvo_port_name(IGDPT_DVO_PORT_DPB)) == "DP-B");
	CHECK(igdpt_igd_generation(0x9A49) == 12);
	std::printf("consumer.cpp: ok (libigdpt %s)\n", igdpt_version());
	return 0;
}
