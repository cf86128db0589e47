/* partners.c: loading the partners file and answering who may report what. */
#include "partners.h"

#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "conf.h"

const char *role_name(role r)
{
    switch (r) {
    case ROLE_PARTNER: return "partner";
    case ROLE_VIEWER: return "viewer";
    case ROLE_ADMIN: return "admin";
    }
    return "?";
}

static const char *const levels[] = {"regio", "gemeente", "wijk", "cluster", "buurt", NULL};

static int linear_area(const partners *p, size_t upto, const char *code)
{
    for (size_t i = 0; i < upto; i++)
        if (strcmp(p->areas[i].code, code) == 0)
            return (int)i;
    return -1;
}

static int order_areas(partners *p);

static int load_areas(partners *p, const config_setting_t *root, lm_error *err)
{
    static const char *const known[] = {"code", "name", "level", "parent", NULL};
    const config_setting_t *list = config_setting_get_member(root, "areas");
    if (!list || config_setting_type(list) != CONFIG_TYPE_LIST || !config_setting_length(list))
        return conf_error(err, list ? list : root,
                          list ? "areas must be a non-empty list ( {...}, {...} )"
                               : "'areas' is missing");
    size_t n = (size_t)config_setting_length(list);
    if (!(p->areas = calloc(n, sizeof *p->areas)))
        return conf_error(err, list, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        area *a = &p->areas[i];
        char parent[PROTO_MAX_AREA + 1] = "";
        if (!config_setting_is_group(s))
            return conf_error(err, s, "an area must be a group { code = ...; ... }");
        if (conf_known(s, known, err) < 0 ||
            conf_str(s, "code", true, a->code, sizeof a->code, err) < 0 ||
            conf_str(s, "name", true, a->name, sizeof a->name, err) < 0 ||
            conf_str(s, "level", true, a->level, sizeof a->level, err) < 0 ||
            conf_str(s, "parent", false, parent, sizeof parent, err) < 0)
            return -1;
        if (!conf_code_ok(a->code, PROTO_MAX_AREA))
            return conf_error(err, config_setting_get_member(s, "code"),
                              "'%s' is not a code (letters, digits, '.', '_', '-')", a->code);
        bool level_ok = false;
        for (const char *const *l = levels; *l && !level_ok; l++)
            level_ok = strcmp(*l, a->level) == 0;
        if (!level_ok)
            return conf_error(err, config_setting_get_member(s, "level"),
                              "'%s' is not one of regio, gemeente, wijk, cluster, buurt",
                              a->level);
        if (linear_area(p, i, a->code) >= 0)
            return conf_error(err, s, "area '%s' is defined twice", a->code);
        a->parent = -1;
        if (parent[0]) {
            /* Parents come first, so the tree cannot have cycles. */
            a->parent = linear_area(p, i, parent);
            if (a->parent < 0)
                return conf_error(err, config_setting_get_member(s, "parent"),
                                  "'%s' is not an area listed above this one", parent);
        }
        p->n_areas = i + 1;
    }
    return 0;
}

/* Decode each Z85 key of s ("keys") into p->keys, owned by (staff, index). */
static int load_keys(partners *p, const config_setting_t *s, bool staff, size_t index,
                     lm_error *err)
{
    bool failed;
    const config_setting_t *keys = conf_str_list(s, "keys", false, &failed, err);
    if (failed)
        return -1;
    if (!keys)
        return 0;
    size_t n = (size_t)config_setting_length(keys);
    if (n == 0)
        return 0; /* realloc(p, 0) would hand back memory nobody keeps */
    key_entry *grown = realloc(p->keys, (p->n_keys + n) * sizeof *grown);
    if (!grown)
        return conf_error(err, keys, "out of memory");
    p->keys = grown;
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(keys, (unsigned)i);
        const char *z85 = config_setting_get_string(e);
        key_entry *k = &p->keys[p->n_keys];
        if (strlen(z85) != 40 || !zmq_z85_decode(k->key, z85))
            return conf_error(err, e,
                              "not a CURVE public key (40 Z85 characters, from leamon keygen)");
        k->staff = staff;
        k->index = index;
        p->n_keys++;
    }
    return 0;
}

static int load_org(partners *p, const config_setting_t *s, organisation *o, lm_error *err)
{
    static const char *const known[] = {"id", "name", "kind", "area", "keys", "reports_for",
                                        "active", NULL};
    char kind[32], home[PROTO_MAX_AREA + 1];
    bool failed;
    if (!config_setting_is_group(s))
        return conf_error(err, s, "an organisation must be a group { id = ...; ... }");
    o->active = true;
    if (conf_known(s, known, err) < 0 ||
        conf_str(s, "id", true, o->id, sizeof o->id, err) < 0 ||
        conf_str(s, "name", true, o->name, sizeof o->name, err) < 0 ||
        conf_str(s, "kind", true, kind, sizeof kind, err) < 0 ||
        conf_str(s, "area", true, home, sizeof home, err) < 0 ||
        conf_bool(s, "active", false, &o->active, err) < 0)
        return -1;
    if (!conf_code_ok(o->id, PROTO_MAX_CODE))
        return conf_error(err, config_setting_get_member(s, "id"),
                          "'%s' is not an id (letters, digits, '.', '_', '-')", o->id);
    if (kind_parse(kind, &o->kind) != 0)
        return conf_error(err, config_setting_get_member(s, "kind"),
                          "'%s' is not a partner kind (kinderopvang, ggd, school_po, school_so, "
                          "school_vo, mbo, rbl, gemeente)", kind);
    if ((o->home = partners_area(p, home)) < 0)
        return conf_error(err, config_setting_get_member(s, "area"),
                          "'%s' is not a known area", home);
    const config_setting_t *rf = conf_str_list(s, "reports_for", false, &failed, err);
    if (failed)
        return -1;
    size_t n = rf ? (size_t)config_setting_length(rf) : 1;
    if (n == 0)
        return conf_error(err, rf, "names no area");
    if (!(o->reports_for = calloc(n, sizeof *o->reports_for)))
        return conf_error(err, s, "out of memory");
    o->n_reports_for = n;
    if (!rf) {
        /* Default: the home area and below; a location does not report for a wijk it does
         * not serve unless the partners file says so. */
        o->reports_for[0] = o->home;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(rf, (unsigned)i);
        if ((o->reports_for[i] = partners_area(p, config_setting_get_string(e))) < 0)
            return conf_error(err, e, "'%s' is not a known area",
                              config_setting_get_string(e));
    }
    return 0;
}

static int load_staff(const config_setting_t *s, staff_member *m, lm_error *err)
{
    static const char *const known[] = {"id", "name", "role", "keys", NULL};
    char r[16];
    if (!config_setting_is_group(s))
        return conf_error(err, s, "a staff member must be a group { id = ...; ... }");
    if (conf_known(s, known, err) < 0 ||
        conf_str(s, "id", true, m->id, sizeof m->id, err) < 0 ||
        conf_str(s, "name", true, m->name, sizeof m->name, err) < 0 ||
        conf_str(s, "role", true, r, sizeof r, err) < 0)
        return -1;
    if (!conf_code_ok(m->id, PROTO_MAX_CODE))
        return conf_error(err, config_setting_get_member(s, "id"),
                          "'%s' is not an id (letters, digits, '.', '_', '-')", m->id);
    if (strcmp(r, "viewer") == 0)
        m->role = ROLE_VIEWER;
    else if (strcmp(r, "admin") == 0)
        m->role = ROLE_ADMIN;
    else
        return conf_error(err, config_setting_get_member(s, "role"),
                          "'%s' is not viewer or admin", r);
    return 0;
}

static int org_by_id(const void *a, const void *b)
{
    return strcmp(((const organisation *)a)->id, ((const organisation *)b)->id);
}

static int staff_by_id(const void *a, const void *b)
{
    return strcmp(((const staff_member *)a)->id, ((const staff_member *)b)->id);
}

static int key_cmp(const void *a, const void *b)
{
    return memcmp(((const key_entry *)a)->key, ((const key_entry *)b)->key, CURVE_KEY_BYTES);
}

/* A list member of root, possibly absent (then n = 0). */
static const config_setting_t *group_list(const config_setting_t *root, const char *name,
                                          size_t *n, lm_error *err, bool *failed)
{
    const config_setting_t *list = config_setting_get_member(root, name);
    *n = 0;
    *failed = false;
    if (!list)
        return NULL;
    if (config_setting_type(list) != CONFIG_TYPE_LIST) {
        conf_error(err, list, "must be a list ( {...}, {...} )");
        *failed = true;
        return NULL;
    }
    *n = (size_t)config_setting_length(list);
    return list;
}

int partners_load(partners *p, const char *path, lm_error *err)
{
    static const char *const known[] = {"areas", "organisations", "staff", NULL};
    config_t cfg;
    int rc = -1;
    bool failed;
    size_t n_orgs, n_staff;
    memset(p, 0, sizeof *p);
    if (conf_read_file(&cfg, path, err) < 0)
        goto out;
    const config_setting_t *root = config_root_setting(&cfg);
    if (conf_known(root, known, err) < 0 || load_areas(p, root, err) < 0)
        goto out;
    if (order_areas(p) < 0) {
        lm_fail(err, 0, "%s: out of memory", path);
        goto out;
    }

    const config_setting_t *orgs = group_list(root, "organisations", &n_orgs, err, &failed);
    if (failed)
        goto out;
    const config_setting_t *staff = group_list(root, "staff", &n_staff, err, &failed);
    if (failed)
        goto out;
    if ((n_orgs && !(p->orgs = calloc(n_orgs, sizeof *p->orgs))) ||
        (n_staff && !(p->staff = calloc(n_staff, sizeof *p->staff)))) {
        lm_fail(err, 0, "%s: out of memory", path);
        goto out;
    }
    for (size_t i = 0; i < n_orgs; i++) {
        const config_setting_t *s = config_setting_get_elem(orgs, (unsigned)i);
        p->n_orgs = i + 1;
        if (load_org(p, s, &p->orgs[i], err) < 0)
            goto out;
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->orgs[j].id, p->orgs[i].id) == 0) {
                conf_error(err, s, "organisation '%s' is defined twice", p->orgs[i].id);
                goto out;
            }
    }
    for (size_t i = 0; i < n_staff; i++) {
        const config_setting_t *s = config_setting_get_elem(staff, (unsigned)i);
        p->n_staff = i + 1;
        if (load_staff(s, &p->staff[i], err) < 0)
            goto out;
        /* One id names one identity, whichever list it is in. */
        for (size_t j = 0; j < n_orgs; j++)
            if (strcmp(p->orgs[j].id, p->staff[i].id) == 0) {
                conf_error(err, s, "id '%s' is already an organisation", p->staff[i].id);
                goto out;
            }
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->staff[j].id, p->staff[i].id) == 0) {
                conf_error(err, s, "staff member '%s' is defined twice", p->staff[i].id);
                goto out;
            }
    }
    /* Sort, then collect keys against the sorted positions. */
    /* qsort and bsearch want a real array even for zero elements. */
    if (p->n_orgs)
        qsort(p->orgs, p->n_orgs, sizeof *p->orgs, org_by_id);
    if (p->n_staff)
        qsort(p->staff, p->n_staff, sizeof *p->staff, staff_by_id);
    for (size_t i = 0; i < n_orgs; i++) {
        const config_setting_t *s = config_setting_get_elem(orgs, (unsigned)i);
        char id[PROTO_MAX_CODE + 1] = "";
        if (conf_str(s, "id", true, id, sizeof id, err) < 0 ||
            load_keys(p, s, false, (size_t)(partners_org(p, id) - p->orgs), err) < 0)
            goto out;
    }
    for (size_t i = 0; i < n_staff; i++) {
        const config_setting_t *s = config_setting_get_elem(staff, (unsigned)i);
        char id[PROTO_MAX_CODE + 1] = "";
        if (conf_str(s, "id", true, id, sizeof id, err) < 0 ||
            load_keys(p, s, true, (size_t)(partners_staff(p, id) - p->staff), err) < 0)
            goto out;
    }
    if (p->n_keys)
        qsort(p->keys, p->n_keys, sizeof *p->keys, key_cmp);
    for (size_t i = 1; i < p->n_keys; i++)
        if (key_cmp(&p->keys[i - 1], &p->keys[i]) == 0) {
            lm_fail(err, 0, "%s: one public key is listed for two identities (%s and %s)",
                    path,
                    p->keys[i - 1].staff ? p->staff[p->keys[i - 1].index].id
                                         : p->orgs[p->keys[i - 1].index].id,
                    p->keys[i].staff ? p->staff[p->keys[i].index].id
                                     : p->orgs[p->keys[i].index].id);
            goto out;
        }
    rc = 0;
out:
    config_destroy(&cfg);
    if (rc != 0)
        partners_free(p);
    return rc;
}

void partners_free(partners *p)
{
    for (size_t i = 0; i < p->n_orgs; i++)
        free(p->orgs[i].reports_for);
    free(p->areas);
    free(p->area_order);
    free(p->orgs);
    free(p->staff);
    free(p->keys);
    memset(p, 0, sizeof *p);
}

/* partners_area runs for every figure a snapshot reads: a binary search, not a scan. */
static int area_order_cmp(const void *a, const void *b)
{
    return strcmp((*(const area *const *)a)->code, (*(const area *const *)b)->code);
}

static int order_areas(partners *p)
{
    if (!(p->area_order = malloc(p->n_areas * sizeof *p->area_order)))
        return -1;
    for (size_t i = 0; i < p->n_areas; i++)
        p->area_order[i] = &p->areas[i];
    qsort(p->area_order, p->n_areas, sizeof *p->area_order, area_order_cmp);
    return 0;
}

int partners_area(const partners *p, const char *code)
{
    if (!p->area_order)
        return linear_area(p, p->n_areas, code); /* still loading */
    size_t lo = 0, hi = p->n_areas;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->area_order[mid]->code, code);
        if (c == 0)
            return (int)(p->area_order[mid] - p->areas);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const organisation *partners_org(const partners *p, const char *id)
{
    organisation key;
    size_t n = strlen(id);
    if (n >= sizeof key.id || !p->n_orgs)
        return NULL;
    memcpy(key.id, id, n + 1);
    return bsearch(&key, p->orgs, p->n_orgs, sizeof *p->orgs, org_by_id);
}

const staff_member *partners_staff(const partners *p, const char *id)
{
    staff_member key;
    size_t n = strlen(id);
    if (n >= sizeof key.id || !p->n_staff)
        return NULL;
    memcpy(key.id, id, n + 1);
    return bsearch(&key, p->staff, p->n_staff, sizeof *p->staff, staff_by_id);
}

const key_entry *partners_key(const partners *p, const uint8_t key[CURVE_KEY_BYTES])
{
    key_entry k;
    if (!p->n_keys)
        return NULL;
    memcpy(k.key, key, CURVE_KEY_BYTES);
    return bsearch(&k, p->keys, p->n_keys, sizeof *p->keys, key_cmp);
}

bool partners_within(const partners *p, int a, int root)
{
    for (; a >= 0; a = p->areas[a].parent)
        if (a == root)
            return true;
    return false;
}

bool partners_may_report(const partners *p, const organisation *org, int a)
{
    for (; a >= 0; a = p->areas[a].parent)
        for (size_t i = 0; i < org->n_reports_for; i++)
            if (org->reports_for[i] == a)
                return true;
    return false;
}
