/* SPDX-License-Identifier: MIT */
/* Guest address planning over an e820 map and MMIO windows (options 1a, 2,
 * 3 and 4a), and the e820 split that reserves the result. */
#include "igdpt/core/plan.h"

#include "igdpt/abi/guest.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/placement.h"

/* End of a range, saturated: a map may describe the top of the space. */
static uint64_t range_end(const struct igdpt_plan_range *r)
{
	uint64_t end = r->start + r->length;

	return end < r->start ? UINT64_MAX : end;
}

static int overlaps(const struct igdpt_plan_range *r, uint64_t start, uint64_t end)
{
	return r->length && r->start < end && range_end(r) > start;
}

static int is_ram(const struct igdpt_plan_range *r)
{
	return r->type == IGDPT_E820_RAM;
}

/* [start, end) covered by a chain of RAM entries. */
static int ram_covers(const struct igdpt_plan_range *map, size_t count, uint64_t start,
		      uint64_t end)
{
	uint64_t cur = start;

	while (cur < end) {
		uint64_t best = cur;

		for (size_t i = 0; i < count; i++)
			if (is_ram(&map[i]) && map[i].length && map[i].start <= cur &&
			    range_end(&map[i]) > best)
				best = range_end(&map[i]);
		if (best == cur)
			return 0;
		cur = best;
	}
	return 1;
}

int igdpt_plan_fits(const struct igdpt_plan_range *e820, size_t e820_count,
		    const struct igdpt_plan_range *windows, size_t window_count, uint64_t start,
		    uint64_t len, enum igdpt_plan_kind kind)
{
	uint64_t end = start + len;

	if (!len || end < start || start < IGDPT_PLAN_FLOOR || end > IGDPT_GUEST_PLACEMENT_LIMIT)
		return 0;
	for (size_t i = 0; i < window_count; i++)
		if (overlaps(&windows[i], start, end))
			return 0;
	for (size_t i = 0; i < e820_count; i++)
		if (overlaps(&e820[i], start, end) && (kind == IGDPT_PLAN_OUTSIDE_RAM || !is_ram(&e820[i])))
			return 0;
	return kind == IGDPT_PLAN_OUTSIDE_RAM || ram_covers(e820, e820_count, start, end);
}

/* The highest start aligned to align whose range ends at or below bound. */
static void try_bound(const struct igdpt_plan_range *e820, size_t e820_count,
		      const struct igdpt_plan_range *windows, size_t window_count, uint64_t bound,
		      uint64_t len, uint64_t align, enum igdpt_plan_kind kind, int *found,
		      uint64_t *best)
{
	uint64_t start;

	if (bound > IGDPT_GUEST_PLACEMENT_LIMIT || bound < len)
		return;
	start = (bound - len) & ~(align - 1);
	if ((*found && start <= *best) ||
	    !igdpt_plan_fits(e820, e820_count, windows, window_count, start, len, kind))
		return;
	*found = 1;
	*best = start;
}

int igdpt_plan_place(const struct igdpt_plan_range *e820, size_t e820_count,
		     const struct igdpt_plan_range *windows, size_t window_count, uint64_t size,
		     uint64_t align, enum igdpt_plan_kind kind, uint64_t *gpa,
		     struct igdpt_diag *diag)
{
	const struct igdpt_plan_range *sets[2] = { e820, windows };
	size_t counts[2] = { e820_count, window_count };
	uint64_t len, best = 0;
	int found = 0;

	if (!gpa || (!e820 && e820_count) || (!windows && window_count))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "plan: missing map or result");
	if (!size || size >= IGDPT_GUEST_PLACEMENT_LIMIT)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, size, "plan: size is 0 or reaches 4 GiB");
	if (align < IGDPT_PLACEMENT_PAGE_SIZE || (align & (align - 1)))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, align,
				       "plan: alignment is not a power of two of at least 4 KiB");
	if (kind != IGDPT_PLAN_IN_RAM && kind != IGDPT_PLAN_OUTSIDE_RAM)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "plan: unknown placement kind");
	len = igdpt_placement_pages(size) * IGDPT_PLACEMENT_PAGE_SIZE;

	/* The highest feasible start is bounded by some range edge (or 4 GiB):
	 * one align step higher, the range would cross that edge. So trying
	 * every edge as the upper bound finds it. */
	try_bound(e820, e820_count, windows, window_count, IGDPT_GUEST_PLACEMENT_LIMIT, len, align,
		  kind, &found, &best);
	for (size_t s = 0; s < 2; s++) {
		for (size_t i = 0; i < counts[s]; i++) {
			try_bound(e820, e820_count, windows, window_count, sets[s][i].start, len,
				  align, kind, &found, &best);
			try_bound(e820, e820_count, windows, window_count, range_end(&sets[s][i]),
				  len, align, kind, &found, &best);
		}
	}
	if (!found)
		return igdpt_diag_fail(diag, -IGDPT_ENOSPC, len,
				       kind == IGDPT_PLAN_IN_RAM
					       ? "no aligned range of that size in guest RAM between 1 MiB and 4 GiB is free of reservations and MMIO windows"
					       : "no aligned range of that size between 1 MiB and 4 GiB lies outside RAM, every e820 reservation and every MMIO window");
	*gpa = best;
	return 0;
}

static void shift_right(struct igdpt_plan_range *map, size_t count, size_t at)
{
	for (size_t i = count; i > at; i--)
		map[i] = map[i - 1];
}

static void shift_left(struct igdpt_plan_range *map, size_t count, size_t at)
{
	for (size_t i = at; i + 1 < count; i++)
		map[i] = map[i + 1];
}

int igdpt_plan_e820_insert(struct igdpt_plan_range *map, size_t *count, size_t cap,
			   uint64_t start, uint64_t len, uint32_t type, struct igdpt_diag *diag)
{
	uint64_t end = start + len;
	size_t need, n, at;

	if (!map || !count || *count > cap)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "e820: missing map");
	if (!len || end < start)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, start, "e820: empty or wrapping range");
	n = *count;
	need = n + 1;
	for (size_t i = 0; i < n; i++) {
		if (!overlaps(&map[i], start, end))
			continue;
		if (map[i].start < start && range_end(&map[i]) > end)
			need++; /* split in two */
		else if (map[i].start >= start && range_end(&map[i]) <= end)
			need--; /* swallowed */
	}
	if (need > cap)
		return igdpt_diag_fail(diag, -IGDPT_ENOSPC, start, "e820: map full");

	for (size_t i = 0; i < n; i++) {
		if (!overlaps(&map[i], start, end) || map[i].start >= start ||
		    range_end(&map[i]) <= end)
			continue;
		shift_right(map, n, i + 1);
		map[i + 1] = map[i];
		map[i + 1].length = range_end(&map[i]) - end;
		map[i + 1].start = end;
		map[i].length = start - map[i].start;
		n++;
		i++;
	}
	for (size_t i = 0; i < n;) {
		if (!overlaps(&map[i], start, end)) {
			i++;
			continue;
		}
		if (map[i].start >= start && range_end(&map[i]) <= end) {
			shift_left(map, n, i);
			n--;
			continue;
		}
		if (map[i].start < start) {
			map[i].length = start - map[i].start;
		} else {
			map[i].length = range_end(&map[i]) - end;
			map[i].start = end;
		}
		i++;
	}
	for (at = 0; at < n && map[at].start < start; at++)
		;
	shift_right(map, n, at);
	map[at].start = start;
	map[at].length = len;
	map[at].type = type;
	*count = n + 1;
	return 0;
}
