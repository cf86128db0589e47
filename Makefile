# leamon: leamond (daemon) and leamon (client).
#
#   make            build build/leamond and build/leamon
#   make demo       build, start leamond on a demo database, submit a month, show it
#   make check      all tests: unit (cmocka) and integration with the sanitizer build, a
#                   share of the integration tests under valgrind, the fuzz targets briefly
#   make fuzz       libFuzzer targets (tests/fuzz/), FUZZ_SECONDS each (default 60)
#   make bench      benchmarks (tests/bench/), printing figures and the performance targets;
#                   BENCH_LONG=1 the long mode, BENCH_ARGS flags for bench_load
#   make deps       install missing Debian packages (as root), or say which
#   make clean
#
# Variables: BUILD (output dir), SAN=1 (AddressSanitizer + UBSan build; SAN=thread:
# ThreadSanitizer), PREFIX, DESTDIR.

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
SAN     ?=

PKGS    := libzmq msgpack sqlite3 libconfig libsystemd xlsxwriter
DEBS    := libzmq3-dev libmsgpack-dev libsqlite3-dev libconfig-dev libcmocka-dev libsystemd-dev \
           libxlsxwriter-dev pkg-config sqlite3 systemd valgrind man-db groff-base python3-openpyxl

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
           -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iproto -Idaemon -Iclient -Itests/unit/support $(PKG_CFLAGS)
ifeq ($(SAN),1)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(SAN),thread)
CFLAGS  += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
endif
LDLIBS  += $(PKG_LIBS) -lm

PROTO_SRC  := $(wildcard proto/*.c)
DAEMON_SRC := $(filter-out daemon/main.c,$(wildcard daemon/*.c))
CLIENT_SRC := $(filter-out client/main.c,$(wildcard client/*.c client/report/*.c))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
SUPPORT_SRC := $(wildcard tests/unit/support/*.c)
BENCH_SUPPORT_SRC := $(wildcard tests/bench/support/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

PROTO_LIB  := $(BUILD)/libproto.a
DAEMON_LIB := $(BUILD)/libdaemon.a
CLIENT_LIB := $(BUILD)/libclient.a
SUPPORT_LIB := $(BUILD)/libtestsupport.a
BENCH_LIB  := $(BUILD)/libbenchsupport.a
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TOOL_BINS  := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c))

# Keep objects: test binaries are built from them through pattern rules.
.SECONDARY:

.PHONY: all man deb deps check unit unit-bins tools integration demo clean install bench fuzz fuzz-bins
all: $(BUILD)/leamond $(BUILD)/leamon

# The man pages, made from the programs' own --help and the example files' notes.
MAN_PAGES := leamon.1 leamond.8 leamond.conf.5 leamon-catalog.5 leamon-partners.5
man: $(BUILD)/man/leamon.1
$(BUILD)/man/leamon.1: $(BUILD)/leamond $(BUILD)/leamon config/mkman.sh config/catalog.conf \
                       config/partners-hengelo.conf
	config/mkman.sh $(BUILD) $(BUILD)/man

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(PROTO_LIB): $(call obj,$(PROTO_SRC))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(DAEMON_LIB): $(call obj,$(DAEMON_SRC))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(CLIENT_LIB): $(call obj,$(CLIENT_SRC))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(SUPPORT_LIB): $(call obj,$(SUPPORT_SRC))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(BENCH_LIB): $(call obj,$(BENCH_SUPPORT_SRC))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^

$(BUILD)/leamond: $(call obj,daemon/main.c) $(DAEMON_LIB) $(PROTO_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/leamon: $(call obj,client/main.c) $(CLIENT_LIB) $(PROTO_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(SUPPORT_LIB) $(DAEMON_LIB) $(CLIENT_LIB) $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CMOCKA_LIBS)

# Test tools (not installed): talk to leamond the way no shipped client would.
$(BUILD)/tools/%: $(call obj,tests/tools/%.c) $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Benchmarks (not installed): measured against the real store and snapshot code; what
# they share is in tests/bench/support/.
$(BUILD)/bench/%: $(call obj,tests/bench/%.c) $(BENCH_LIB) $(DAEMON_LIB) $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# $(call install_debs,PACKAGES): install the missing ones when we are root; otherwise say
# what to run.
define install_debs
	@missing=""; for d in $(1); do dpkg -s $$d >/dev/null 2>&1 || missing="$$missing $$d"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || exit 1; \
	  else \
	    echo "missing packages:$$missing"; echo "run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_debs,$(DEBS))

# Unit and integration tests run against the sanitizer build; the plain build must compile too.
# The integration tests that also run with leamond under valgrind memcheck: the submit
# path, malformed input, queries, alerts with hook and PUB over CURVE, backup, overload and
# a full disk. (All of them would take about ten times as long as the sanitizer run.)
VALGRIND_TESTS := atomic_rejection malformed_requests_get snapshot_ratio wijk_below \
                  backup_conflict overload disk_full

check: deps
	$(MAKE) all tools $(BENCH_BINS)
	$(MAKE) BUILD=build/san SAN=1 all unit-bins tools
	$(MAKE) BUILD=build/san SAN=1 unit
	BUILD=build/san tests/integration/run.sh
	$(MAKE) BUILD=build/tsan SAN=thread all tools
	BUILD=build/tsan TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp" tests/integration/run.sh
	VALGRIND=1 tests/integration/run.sh $(VALGRIND_TESTS)
	$(MAKE) fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

# Each fuzz target's run in make check: a smoke test (make fuzz runs them longer).
CHECK_FUZZ_SECONDS ?= 30

unit-bins: $(UNIT_BINS)
tools: $(TOOL_BINS)
unit: $(UNIT_BINS)
	@tests/unit/run.sh $(UNIT_BINS)

# Figures, not pass/fail. bench_load (sizes 0, 1 M and 3 M, ending with the table of the
# targets) takes about four minutes on 2 cores; BENCH_LONG=1 adds 10 M figures to it and runs
# bench_snapshot first. BENCH_ARGS passes flags to bench_load (see its --help).
bench: deps
	$(MAKE) all $(BENCH_BINS)
	@if [ -n "$(BENCH_LONG)" ]; then echo "== $(BUILD)/bench/bench_snapshot"; \
	  $(BUILD)/bench/bench_snapshot || exit 1; fi
	@echo "== $(BUILD)/bench/bench_load"; $(BUILD)/bench/bench_load $(if $(BENCH_LONG),--long) $(BENCH_ARGS)

integration: all tools
	BUILD=$(BUILD) tests/integration/run.sh

# The Debian packages leamond and leamon, built from a copy of the tree in build/deb/ (the
# packages land there too), and checked with lintian.
DEB_DEBS := debhelper lintian
deb:
	$(call install_debs,$(DEBS) $(DEB_DEBS))
	rm -rf build/deb && mkdir -p build/deb/leamon
	tar -c --exclude=./build --exclude=./demo --exclude=./.git . | tar -x -C build/deb/leamon
	cd build/deb/leamon && dpkg-buildpackage -us -uc -b
	lintian --fail-on warning,error build/deb/leamon_*.changes

demo: deps
	$(MAKE) all
	@BUILD=$(BUILD) config/demo.sh

# Binaries, the unit, and example configuration; /etc/leamon is filled only where empty.
install: all man
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	  $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0644 $(BUILD)/man/leamon.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 $(BUILD)/man/leamond.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 $(BUILD)/man/leamond.conf.5 $(BUILD)/man/leamon-catalog.5 \
	  $(BUILD)/man/leamon-partners.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/systemd/system \
	  $(DESTDIR)$(PREFIX)/share/leamon/examples $(DESTDIR)$(PREFIX)/share/doc/leamon \
	  $(DESTDIR)/etc/leamon
	install -m 0755 $(BUILD)/leamond $(BUILD)/leamon $(DESTDIR)$(PREFIX)/bin/
	sed 's|/usr/local|$(PREFIX)|g' systemd/leamond.service > $(DESTDIR)$(PREFIX)/lib/systemd/system/leamond.service
	install -m 0644 config/catalog.conf config/partners-hengelo.conf config/leamond.system.conf \
	  $(DESTDIR)$(PREFIX)/share/leamon/examples/
	install -m 0644 README.md proto/PROTOCOL.md docs/domain.md docs/periods.md docs/catalogue.md \
	  docs/indicators.md docs/alert-rules.md docs/example-client.md docs/example-client.py \
	  $(DESTDIR)$(PREFIX)/share/doc/leamon/
	[ -e $(DESTDIR)/etc/leamon/leamond.conf ] || install -m 0644 config/leamond.system.conf $(DESTDIR)/etc/leamon/leamond.conf
	[ -e $(DESTDIR)/etc/leamon/catalog.conf ] || install -m 0644 config/catalog.conf $(DESTDIR)/etc/leamon/catalog.conf
	[ -e $(DESTDIR)/etc/leamon/partners.conf ] || install -m 0644 config/partners.conf $(DESTDIR)/etc/leamon/partners.conf

# Fuzzing (clang's libFuzzer, tests/fuzz/): each target runs FUZZ_SECONDS on a working corpus
# in $(BUILD)/fuzz/corpus-*, seeded from tests/fuzz/corpus/*. A crash, leak or sanitizer
# report fails the run and leaves the input in $(BUILD)/fuzz/crash-* (or leak-*, timeout-*).
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DEBS    := clang libclang-rt-dev
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iproto \
                $(shell pkg-config --cflags msgpack 2>/dev/null)
FUZZ_LIBS    := $(shell pkg-config --libs msgpack 2>/dev/null) -lm
FUZZ_TARGETS := request period
FUZZ_MAXLEN_request := 65536
FUZZ_MAXLEN_period  := 64

fuzz: deps
	$(call install_debs,$(FUZZ_DEBS))
	$(MAKE) fuzz-bins
	@$(foreach t,$(FUZZ_TARGETS),echo "== fuzz_$(t): $(FUZZ_SECONDS) s" && \
	  mkdir -p $(FUZZ_DIR)/corpus-$(t) && cp tests/fuzz/corpus/$(t)/* $(FUZZ_DIR)/corpus-$(t)/ && \
	  $(FUZZ_DIR)/fuzz_$(t) -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAXLEN_$(t)) -timeout=10 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus-$(t) && ) true

fuzz-bins: $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))

$(FUZZ_DIR)/fuzz_request: tests/fuzz/fuzz_request.c proto/proto.c proto/request.c proto/scan.c proto/grow.c \
  proto/errors.c proto/error.c proto/mpw.c $(wildcard proto/*.h)
$(FUZZ_DIR)/fuzz_period: tests/fuzz/fuzz_period.c proto/period.c proto/period.h
$(FUZZ_DIR)/fuzz_%:
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
