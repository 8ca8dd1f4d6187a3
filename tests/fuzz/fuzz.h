/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the harnesses: libFuzzer's entry point. Built with clang's
 * -fsanitize=fuzzer by tests/fuzz/run.sh, or with main.c, which replays the
 * corpus files as a regression test in every build. */
#ifndef NSDEBUG_FUZZ_H
#define NSDEBUG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
