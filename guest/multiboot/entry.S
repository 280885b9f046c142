/* SPDX-License-Identifier: MIT */
/* Multiboot v1 header and entry: own stack, then probe_main(magic, info).
 * The loader enters in 32-bit protected mode, paging off, interrupts off,
 * EAX = magic, EBX = physical address of the multiboot information. */

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002
#define MULTIBOOT_FLAG_MEMORY_INFO (1 << 1) /* mem_* and the memory map */
#define MULTIBOOT_HEADER_FLAGS MULTIBOOT_FLAG_MEMORY_INFO
#define PROBE_STACK_SIZE 16384

	.section .multiboot, "a"
	.balign 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_HEADER_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_HEADER_FLAGS)

	.text
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	movl $probe_stack_top, %esp
	pushl %ebx
	pushl %eax
	call probe_main
	/* probe_main exits through isa-debug-exit; halt if that is absent. */
1:	cli
	hlt
	jmp 1b

	.section .bss
	.balign 16
probe_stack:
	.skip PROBE_STACK_SIZE
probe_stack_top:

	.section .note.GNU-stack, "", @progbits
