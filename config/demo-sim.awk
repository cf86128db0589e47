# demo-sim.awk: the demo municipality's monthly figures, seeded and plausible.
#
#   awk -v seed=7 -v months="2024-08 2024-09 ..." -v out=DIR -f demo-sim.awk PARTNERS.conf
#
# Reads the organisations (id, kind, area) from the partners file and writes, for every
# month and every organisation that reports it, OUT/MONTH/ID.csv (metric,area,value) as
# that partner would send it. The story the figures tell:
#   - VVE-bereik climbs from about 77% (the 2022 national level) towards 85%, except in
#     Groot Driene (WK016404), which slips from about 80% to near 60% in the second year;
#   - one location, ko-berflo, stops reporting after August of the last school year;
#   - thuiszitters drift down from 14 with a bump in the winter;
#   - summer school figures come in July; rijke schooldag grows slowly.

function rnd(lo, hi) { return lo + int(rand() * (hi - lo + 1)) }

function emit(file, metric, area, value) {
    printf "%s,%s,%s\n", metric, area, value >> file
}

BEGIN {
    FS = "\""
    srand(seed)
    n_months = split(months, month, " ")
    # Toddlers with a VVE-indicatie per wijk: about a seventh of the children at risk of an
    # onderwijsachterstand in CBS's 2023 figures per wijk (Hengelo's LEA 2024-2027), and 2
    # where CBS suppressed the cell.
    split("WK016400 WK016401 WK016402 WK016403 WK016404 WK016405 WK016406 WK016407 WK016408 WK016409", wijk, " ")
    split("2 24 30 19 25 14 20 7 7 2", indicated, " ")
    for (w = 1; w <= 10; w++)
        wijk_ind[wijk[w]] = indicated[w]
}

# One organisation per line: { id = "..."; name = "..."; kind = "..."; area = "..."; }
/^ *\{ id = / {
    id = $2; kind = $6; area = $8
    n_orgs++
    org_id[n_orgs] = id; org_kind[n_orgs] = kind; org_area[n_orgs] = area
    if (kind == "kinderopvang") {
        locations[area]++
        loc_index[id] = locations[area]
    }
}

END {
    for (t = 1; t <= n_months; t++) {
        p = month[t]
        mm = substr(p, 6, 2) + 0
        second_year = t > n_months - 16   # the school year before the current one, and on
        progress = (t - 1) / (n_months > 1 ? n_months - 1 : 1)
        system("mkdir -p " out "/" p)
        for (o = 1; o <= n_orgs; o++) {
            id = org_id[o]; kind = org_kind[o]; area = org_area[o]
            f = out "/" p "/" id ".csv"
            if (kind == "kinderopvang") {
                if (id == "ko-berflo" && t > n_months - 3)
                    continue                  # stopped reporting after August
                bereik = 0.78 + 0.10 * progress
                if (area == "WK016404" && second_year)
                    bereik = 0.80 - 0.19 * (t - (n_months - 16)) / 16
                # The wijk's placed doelgroep, split over its locations (the first takes
                # the remainder); a little noise per month.
                total = int(wijk_ind[area] * bereik + 0.5) + rnd(-1, 1)
                if (total < 0) total = 0
                share = int(total / locations[area])
                placed = loc_index[id] == 1 ? total - share * (locations[area] - 1) : share
                printf "metric,area,value\n" > f
                emit(f, "vve.doelgroep.geplaatst", area, placed)
                emit(f, "vve.peuters.geplaatst", area, placed * 2 + rnd(4, 10))
                emit(f, "vve.uren.per_week", area, 16)
                emit(f, "vve.plaatsen", area, placed + rnd(2, 6))
                emit(f, "vve.wachtlijst", area, rnd(0, 2))
                if (mm == 7) {
                    emit(f, "vve.uitstroom", area, int(placed / 3) + 1)
                    emit(f, "vve.warme_overdracht", area, int(placed / 3))
                }
                close(f)
            } else if (kind == "ggd") {
                printf "metric,area,value\n" > f
                for (w = 1; w <= 10; w++)
                    emit(f, "jgz.doelgroep.geindiceerd", wijk[w], wijk_ind[wijk[w]] + (w > 1 && w < 10 ? rnd(0, 1) : 0))
                emit(f, "jgz.indicaties.nieuw", "GM0164", rnd(8, 16))
                close(f)
            } else if (kind == "rbl") {
                # 14 thuiszitters, drifting down to about 10, with a winter bump.
                tz = int(14 - 4 * progress + (mm == 1 || mm == 2 ? 2 : 0) + 0.5)
                printf "metric,area,value\n" > f
                emit(f, "rbl.leerplichtigen", "GM0164", 11850 + rnd(-20, 20))
                emit(f, "rbl.thuiszitters", "GM0164", tz)
                emit(f, "rbl.verzuim.relatief", "GM0164", rnd(45, 70))
                emit(f, "rbl.verzuim.absoluut", "GM0164", rnd(1, 4))
                emit(f, "rbl.verzuim.luxe", "GM0164", mm == 6 || mm == 12 ? rnd(8, 15) : rnd(0, 4))
                emit(f, "rbl.vrijstellingen", "GM0164", 38 + rnd(-1, 1))
                emit(f, "rbl.vsv", "GM0164", rnd(1, 4))
                close(f)
            } else if (kind == "school_po") {
                printf "metric,area,value\n" > f
                emit(f, "school.leerlingen", area, 240 + 10 * (o % 5))
                emit(f, "school.rijke_schooldag", area, int(120 + 60 * progress) + rnd(-3, 3))
                if (mm == 7)
                    emit(f, "school.zomerschool", area, rnd(12, 20))
                if (mm == 8) # the summer's second month, without a draw: the rest stays as it was
                    emit(f, "school.zomerschool", area, 4 + o % 3)
                close(f)
            } else if (kind == "school_so") {
                printf "metric,area,value\n" > f
                emit(f, "school.leerlingen", area, 30 + rnd(-2, 2))
                close(f)
            } else if (kind == "school_vo" || kind == "mbo") {
                printf "metric,area,value\n" > f
                emit(f, "school.leerlingen", area, kind == "mbo" ? 2400 : 900 + 50 * (o % 3))
                emit(f, "school.vsv", area, rnd(1, kind == "mbo" ? 5 : 2))
                if (mm == 7 && kind == "school_vo")
                    emit(f, "school.zomerschool", area, rnd(15, 25))
                if (mm == 8 && kind == "school_vo")
                    emit(f, "school.zomerschool", area, 5 + o % 4)
                close(f)
            } else if (kind == "gemeente") {
                printf "metric,area,value\n" > f
                emit(f, "gemeente.peuters", "GM0164", 1020 + rnd(-10, 10))
                close(f)
            }
        }
    }
}
