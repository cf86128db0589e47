/* rules.h: the alert rules of the catalogue ("rules = ( ... )" in catalog.conf). */
#ifndef LEAMON_RULES_H
#define LEAMON_RULES_H

#include <libconfig.h>
#include <stddef.h>

#include "alert_eval.h"
#include "catalog.h"
#include "partners.h"

/* Read root's rules into cat->rules (after its indicators and metrics). On failure -1 with
 * "FILE:LINE: SETTING: message" in err. */
int rules_load(catalog *cat, const config_setting_t *root, lm_error *err);

/* The rule with this name, or NULL. */
const alert_rule *catalog_rule(const catalog *cat, const char *name);

/* Check the rules' areas and levels against the partners file: 0, or -1 with err set. */
int rules_check_areas(const catalog *cat, const partners *p, const char *catalog_path,
                      lm_error *err);

/* True if rule r watches area a (an index into p->areas): of r's level, and r's area or
 * below it when r names one. Late rules watch organisations: see rules_watches_org. */
bool rules_watches_area(const alert_rule *r, const partners *p, int a);
bool rules_watches_org(const alert_rule *r, const partners *p, const organisation *o);

#endif
