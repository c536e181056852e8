/*
 * list.h - An intrusive doubly linked list, as Linux's and Xen's list_head.
 *
 * Run queues are lists of vCPUs: a vCPU carries its own link, so putting it
 * on or off a queue never allocates and cannot fail.  Credit1's run queue in
 * xen/common/sched/credit.c is exactly such a list, ordered by priority.
 */
#ifndef SCHED_LIST_H
#define SCHED_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_link {
	struct list_link *prev, *next;
};

/* Make head an empty list (a link that points to itself). */
static inline void list_init(struct list_link *head)
{
	head->prev = head->next = head;
}

static inline bool list_empty(const struct list_link *head)
{
	return head->next == head;
}

/* Insert l just before pos (at the tail when pos is the head). */
static inline void list_insert_before(struct list_link *pos,
				      struct list_link *l)
{
	l->prev = pos->prev;
	l->next = pos;
	pos->prev->next = l;
	pos->prev = l;
}

static inline void list_add_tail(struct list_link *head, struct list_link *l)
{
	list_insert_before(head, l);
}

static inline void list_add_head(struct list_link *head, struct list_link *l)
{
	list_insert_before(head->next, l);
}

/* Take l off its list and leave it empty, so list_empty(l) says "not
 * queued". */
static inline void list_del_init(struct list_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	list_init(l);
}

#define list_entry(ptr, type, member)                                          \
	((type *)((char *)(ptr)-offsetof(type, member)))

#endif
