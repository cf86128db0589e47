/* partners.h: the municipality's areas, reporting organisations and staff (partners file). */
#ifndef LEAMON_PARTNERS_H
#define LEAMON_PARTNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "error.h"
#include "proto.h"

#define CURVE_KEY_BYTES 32

typedef enum { ROLE_PARTNER, ROLE_VIEWER, ROLE_ADMIN } role;
const char *role_name(role r);

typedef struct {
    char code[PROTO_MAX_AREA + 1];
    char name[80];
    char level[16];   /* regio, gemeente, wijk, cluster, buurt */
    int parent;       /* index into areas, -1 for a root */
} area;

typedef struct {
    char id[PROTO_MAX_CODE + 1];
    char name[120];
    org_kind kind;
    int home;          /* index into areas */
    int *reports_for;  /* area indexes: it may report for these and everything below; owned */
    size_t n_reports_for;
    bool active;
} organisation;

typedef struct {
    char id[PROTO_MAX_CODE + 1];
    char name[120];
    role role;
} staff_member;

/* A CURVE public key and whom it belongs to. */
typedef struct {
    uint8_t key[CURVE_KEY_BYTES];
    bool staff;        /* index is into staff, else into orgs */
    size_t index;
} key_entry;

typedef struct {
    area *areas;           /* in file order: parents before children */
    size_t n_areas;
    const area **area_order; /* the areas sorted by code: for partners_area */
    organisation *orgs;    /* sorted by id */
    size_t n_orgs;
    staff_member *staff;   /* sorted by id */
    size_t n_staff;
    key_entry *keys;       /* sorted by key */
    size_t n_keys;
} partners;

/* Load path into *p. On failure returns -1 with "FILE:LINE: SETTING: message" in err. */
int partners_load(partners *p, const char *path, lm_error *err);
void partners_free(partners *p);

/* Lookups; -1 or NULL when unknown. */
int partners_area(const partners *p, const char *code);
const organisation *partners_org(const partners *p, const char *id);
const staff_member *partners_staff(const partners *p, const char *id);
const key_entry *partners_key(const partners *p, const uint8_t key[CURVE_KEY_BYTES]);

/* True if area a is root or lies below it. */
bool partners_within(const partners *p, int a, int root);

/* True if area a is one of org's reports_for areas or lies below one. */
bool partners_may_report(const partners *p, const organisation *org, int a);

#endif
