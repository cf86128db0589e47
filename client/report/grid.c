/* grid.c: the completeness grid of the report: who delivered which month,
 * and in time (see grid.h). */
#include "report/grid.h"

#include <stdbool.h>
#include <stdlib.h>

#include "period.h"
#include "report/text.h"

static const char *const grid_letter[] = {"T", "N", "L", "O"};
static const char *const grid_word[] = {"op tijd", "nog open", "te laat", "ontbreekt"};

void grid_write(rbuf *b, const report_t *r)
{
    char a[NL_TEXT_MAX], c[NL_TEXT_MAX];
    rb_add(b, "<section class=\"compl\"><h2>Levering per organisatie</h2>\n");
    if (r->grid_last < r->grid_first) {
        rb_add(b, "<p>Er is nog geen maand van deze periode begonnen: er hoeft nog niets "
                  "geleverd te zijn.</p></section>\n");
        return;
    }
    nl_month_year(a, sizeof a, r->grid_first);
    nl_month_year(c, sizeof c, r->grid_last);
    rb_add(b, "<p>Per organisatie en per maand (");
    rb_esc(b, a);
    if (r->grid_first != r->grid_last) {
        rb_add(b, " t/m ");
        rb_esc(b, c);
    }
    rb_add(b, "): heeft zij de maand geleverd, en op tijd? Een maand telt als geleverd vanaf "
              "het eerste cijfer dat de organisatie ervoor stuurde; op tijd is v\xc3\xb3\xc3\xb3r "
              "de termijn. Een * betekent dat nog niet alle cijfers die zij moet leveren binnen "
              "zijn (de cel noemt per status hoeveel). Organisatienamen staan ook in de "
              "publieksversie: het zijn partners, geen personen.</p>\n");
    rb_add(b, "<p class=\"legend\">");
    for (int s = 0; s < 4; s++) {
        rb_addf(b, "<span class=\"c st-%s\">%s</span>", grid_letter[s], grid_letter[s]);
        rb_add(b, grid_word[s]);
        rb_add(b, s == ST_OPEN ? " (de termijn loopt nog)" : "");
        rb_add(b, s < 3 ? " &#160; " : "");
    }
    rb_add(b, "</p>\n");
    if (r->norgs == 0) {
        rb_add(b, "<p>Geen organisaties hoeven cijfers te leveren.</p></section>\n");
        return;
    }
    rb_add(b, "<table class=\"grid\"><thead><tr><th>Organisatie</th><th>Soort</th>");
    for (int m = r->grid_first; m <= r->grid_last; m++) {
        period pm = period_month_from_number(m);
        rb_addf(b, "<th class=\"c\">%s<br>%d</th>", nl_month_short(pm.index), pm.year);
    }
    rb_add(b, "</tr></thead><tbody>\n");
    size_t months = (size_t)(r->grid_last - r->grid_first + 1);
    unsigned *per_month = calloc(months * 4, sizeof *per_month), partials = 0;
    for (size_t i = 0; i < r->norgs; i++) {
        const org_row *o = &r->orgs[i];
        rb_add(b, "<tr><td>");
        rb_esc(b, o->name[0] ? o->name : o->id);
        rb_add(b, "</td><td>");
        rb_esc(b, nl_partner_kind(o->kind));
        rb_add(b, "</td>");
        for (size_t m = 0; m < months; m++) {
            const unsigned *n = o->n[m];
            /* the organisation's month as a whole, as the daemon judges one metric:
             * reported when its first figure came, on time or late; * when some
             * of its metrics are still missing after the deadline */
            int worst = n[ST_ON_TIME]   ? ST_ON_TIME
                        : n[ST_LATE]    ? ST_LATE
                        : n[ST_OPEN]    ? ST_OPEN
                        : n[ST_MISSING] ? ST_MISSING
                                        : -1;
            bool partial = n[ST_MISSING] && (n[ST_ON_TIME] || n[ST_LATE]);
            char mt[PERIOD_TEXT_MAX];
            month_code(mt, sizeof mt, r->grid_first + (int)m);
            if (worst < 0) {
                rb_add(b, "<td class=\"c\"></td>");
                continue;
            }
            if (per_month)
                per_month[m * 4 + (size_t)worst]++;
            rb_addf(b, "<td class=\"c st-%s\" data-org=\"", grid_letter[worst]);
            rb_esc(b, o->id);
            rb_addf(b, "\" data-month=\"%s\" data-status=\"%s\" title=\"", mt,
                    worst == ST_ON_TIME ? "on_time"
                    : worst == ST_OPEN  ? "open"
                    : worst == ST_LATE  ? "late"
                                        : "missing");
            bool first = true;
            for (int s = 0; s < 4; s++)
                if (n[s]) {
                    rb_addf(b, "%s%u %s", first ? "" : ", ", n[s], grid_word[s]);
                    first = false;
                }
            rb_addf(b, "\">%s%s</td>", grid_letter[worst], partial ? "*" : "");
            partials += partial;
        }
        rb_add(b, "</tr>\n");
    }
    rb_add(b, "</tbody>");
    if (per_month) {
        rb_addf(b, "<tfoot><tr><td colspan=\"2\">Op tijd</td>");
        for (size_t m = 0; m < months; m++) {
            unsigned total = 0;
            for (int s = 0; s < 4; s++)
                total += per_month[m * 4 + (size_t)s];
            rb_addf(b, "<td class=\"c small\">%u/%u</td>", per_month[m * 4 + ST_ON_TIME], total);
        }
        rb_add(b, "</tr></tfoot>");
    } else {
        b->failed = true;
    }
    free(per_month);
    rb_add(b, "</table>\n");
    if (partials)
        rb_addf(b,
                "<p class=\"fn\">* In %u cel%s ontbreken na de termijn nog cijfers van "
                "de organisatie.</p>\n",
                partials, partials == 1 ? "" : "len");
    if (r->first_month < r->grid_first) {
        nl_month_year(a, sizeof a, r->first_month);
        rb_addf(b, "<p class=\"fn\">Alleen de laatste %d maanden; de reeks begint in ",
                GRID_MONTHS);
        rb_esc(b, a);
        rb_add(b, ".</p>\n");
    }
    if (r->grid_last < r->last_month)
        rb_add(b, "<p class=\"fn\">Maanden die nog niet begonnen zijn, ontbreken.</p>\n");
    rb_add(b, "</section>\n");
}
