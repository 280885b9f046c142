/* SPDX-License-Identifier: MIT */
/* A program that uses libigdpt as an outsider would: built against the
 * installed headers and igdpt.pc, linked with the shared library. It runs
 * one call of each kind and exits 1 naming the first that disappoints. */
#include <igdpt/igdpt.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "consumer.c:%d: %s\n", __LINE__, #cond); \
			return 1;                                                \
		}                                                                \
	} while (0)

int main(void)
{
	uint8_t image[IGDPT_OPREGION_BASE_SIZE];
	size_t len = 0;
	char msg[256];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);
	struct igdpt_opregion op;
	struct igdpt_decoded *dec = NULL;
	struct igdpt_igd_info igd;
	struct igdpt_host_ctx ctx = IGDPT_HOST_CTX_INIT;
	struct igdpt_host_device dev;
	const struct igdpt_decoded_block *general = NULL;
	uint8_t *data = NULL;

	/* The library we run with is the one we were built against. */
	CHECK(strcmp(igdpt_version(), IGDPT_VERSION_STRING) == 0);
	CHECK(igdpt_version_number() == IGDPT_VERSION_NUMBER);

	/* Build, then validate with the core. */
	CHECK(igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, NULL, 0, &len, &diag) == -ENOSPC);
	CHECK(len == sizeof(image));
	CHECK(igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, image, sizeof(image), &len, &diag) == 0);
	CHECK(igdpt_opregion_parse(image, len, &op, &diag) == 0);
	CHECK(op.vbt_source == IGDPT_VBT_SOURCE_MAILBOX4);

	/* Decode into the model and print it. */
	CHECK(igdpt_decode(image, len, "reference", NULL, &dec) == 0);
	CHECK(dec->valid && dec->kind == IGDPT_IMAGE_OPREGION);
	for (size_t i = 0; i < dec->blocks_kept; i++)
		if (dec->blocks[i].id == IGDPT_BDB_GENERAL_DEFINITIONS)
			general = &dec->blocks[i];
	CHECK(general != NULL);
	CHECK(igdpt_decode_field(general->fields, "child_devices") != NULL);
	CHECK(igdpt_decode_print_text(stdout, dec) == 0);
	igdpt_decoded_free(dec);

	/* The IGD table. */
	CHECK(igdpt_igd_lookup(0x5916, &igd) == 0);
	CHECK(igd.generation == 9 && strcmp(igd.platform, "Kaby Lake") == 0);

	/* One error style: a static reason, or the story in our buffer. */
	CHECK(igdpt_file_read("/nonexistent/igdpt-consumer", &data, &len, &diag) == -ENOENT);
	CHECK(diag.reason == msg && strstr(msg, "/nonexistent/igdpt-consumer") != NULL);
	ctx.root = "/nonexistent/igdpt-consumer-root";
	CHECK(igdpt_host_select(&ctx, NULL, &dev, &diag) == -ENOENT);
	CHECK(strstr(diag.reason, "/sys/bus/pci/devices") != NULL);
	printf("consumer.c: ok (libigdpt %s)\n", igdpt_version());
	return 0;
}
