# huntcon - interactive network-hunting console.  GNU make, C11, pkg-config.
#
#   make          build ./huntcon (installs missing Debian packages as root)
#   make run      build, generate the demo capture and open it
#   make check    every test: unit, batch, oracle, screen, sanitizer, fuzz smoke
#   make check-quick  the inner loop: unit tests and the fast shell tests
#   make check-corpus the tshark oracle over every capture of ../shared/corpus
#                     (linktypes, benign, arkime_tests): long
#   make install  the binary, man pages, rules and themes under PREFIX
#                 (default /usr/local; DESTDIR stages them); make uninstall
#   make bench    ingest against the libpcap floor, memory, query latency,
#                 the fleet's ship rate and drill (make bench-fleet alone)
#   make fuzz     build the libFuzzer targets (clang)

CC	?= cc
PKGS	:= libpcap ncursesw readline libpcre2-8 libxxhash libpsl libcrypto \
	   zlib libzstd liblz4 libcurl
CFLAGS	?= -O2 -g
WARN	:= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wformat=2 -Wno-format-nonliteral
ifdef CI
WARN	+= -Werror
endif
CPPFLAGS += -Isrc -D_GNU_SOURCE -MMD -MP \
	    -DHUNTCON_RULES_DIR='"$(CURDIR)/rules"' \
	    -DHUNTCON_THEMES_DIR='"$(CURDIR)/themes"'
STD	:= -std=c11
B	:= build

# Debian packages the build and the tests need.
DEBS	:= build-essential pkg-config libpcap-dev libncurses-dev \
	   libreadline-dev libpcre2-dev libxxhash-dev libpsl-dev libssl-dev \
	   libcmocka-dev clang libclang-rt-14-dev tshark tmux time mandoc \
	   iputils-ping python3 tcpdump libcap2-bin zlib1g-dev libzstd-dev \
	   liblz4-dev libcurl4-openssl-dev clickhouse-server curl tcpreplay

ENGINE_SRC := $(sort $(shell find src -name '*.c' ! -path 'src/ui/*' ! -name main.c))
UI_SRC	:= $(sort $(wildcard src/ui/*.c))
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(B)/%.o)
UI_OBJ	:= $(UI_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

ASAN	:= $(B)/asan
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	      -fno-sanitize-recover=undefined
ASAN_ENGINE_OBJ := $(ENGINE_SRC:%.c=$(ASAN)/%.o)
ASAN_UI_OBJ := $(UI_SRC:%.c=$(ASAN)/%.o)
ASAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(ASAN)/tests/%)

FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

DEPS_STAMP := $(B)/.deps

all: huntcon

# Packages such as clickhouse-server start their own service on install:
# a policy-rc.d refusing every start (exit 101) is in place only while
# apt-get runs, then whatever was there before is put back.
POLICY	:= /usr/sbin/policy-rc.d
POLICY_ON = saved=$$(mktemp); had=0; \
	    if [ -e $(POLICY) ]; then cp -p $(POLICY) $$saved; had=1; fi; \
	    printf '\043!/bin/sh\nexit 101\n' >$(POLICY); chmod 0755 $(POLICY)
POLICY_OFF = if [ $$had = 1 ]; then cp -p $$saved $(POLICY); \
	    else rm -f $(POLICY); fi; rm -f $$saved

# Check for the Debian packages; install them when root, else say how.
$(DEPS_STAMP): Makefile
	@missing=""; for p in $(DEBS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
	        || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	        echo "installing:$$missing"; \
	        $(POLICY_ON); \
	        apt-get update -q >/dev/null && \
	        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	        rc=$$?; $(POLICY_OFF); [ $$rc = 0 ] || exit 1; \
	    else \
	        echo "huntcon needs these Debian packages. Run:"; \
	        echo "  sudo apt-get update && sudo apt-get install -y$$missing"; \
	        exit 1; \
	    fi; \
	fi
	@mkdir -p $(B) && touch $@

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lm -lpthread

$(B)/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(B)/libhuntcon.a: $(ENGINE_OBJ)
	rm -f $@ && ar rcs $@ $^

huntcon: $(B)/src/main.o $(UI_OBJ) $(B)/libhuntcon.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libhuntcon.a $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS) -Itests $(PKG_CFLAGS) -o $@ $< \
	    $(B)/libhuntcon.a $(PKG_LIBS) -lcmocka

# Sanitizer build: the same sources with ASan and UBSan.
$(ASAN)/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(STD) $(ASAN_FLAGS) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(ASAN)/libhuntcon.a: $(ASAN_ENGINE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(ASAN)/huntcon: $(ASAN)/src/main.o $(ASAN_UI_OBJ) $(ASAN)/libhuntcon.a
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(PKG_LIBS)

$(ASAN)/tests/%: tests/unit/%.c $(ASAN)/libhuntcon.a $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(STD) $(ASAN_FLAGS) $(WARN) $(CPPFLAGS) -Itests $(PKG_CFLAGS) -o $@ $< \
	    $(ASAN)/libhuntcon.a $(PKG_LIBS) -lcmocka

# The deterministic capture writer the tests and the demo use.
$(B)/capgen: tests/gen/capgen.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARN) -D_GNU_SOURCE -o $@ $< -lm

# Record dumper the export tests compare with.
$(B)/pcaprec: tests/gen/pcaprec.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARN) -D_GNU_SOURCE -o $@ $< -lpcap

# The in-process drill benchmark (SPEC §8): store, select and counts.
$(B)/bench-drill: tests/bench/drill.c $(B)/libhuntcon.a $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -g $(WARN) $(CPPFLAGS) -Itests $(PKG_CFLAGS) -o $@ $< \
	    $(B)/libhuntcon.a $(PKG_LIBS)

bench-drill: $(B)/bench-drill
	$(B)/bench-drill

# libFuzzer targets (clang), linked with the engine built once for fuzzing.
FZ	:= $(B)/fuzzlib
FUZZ_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
FUZZ_ENGINE_OBJ := $(ENGINE_SRC:%.c=$(FZ)/%.o)
$(FZ)/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	clang $(STD) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) \
	    $(PKG_CFLAGS) -c -o $@ $<
$(FZ)/libhuntcon.a: $(FUZZ_ENGINE_OBJ)
	rm -f $@ && ar rcs $@ $^
$(B)/fuzz/%: tests/fuzz/%.c $(FZ)/libhuntcon.a $(DEPS_STAMP)
	@mkdir -p $(@D)
	clang $(STD) $(FUZZ_FLAGS) -fsanitize=fuzzer $(CPPFLAGS) $(PKG_CFLAGS) \
	    -o $@ $< $(FZ)/libhuntcon.a $(PKG_LIBS)

fuzz: $(FUZZ_BIN)

DEMO	:= $(B)/demo.pcap
$(DEMO): $(B)/capgen
	$(B)/capgen demo $@

run: huntcon $(DEMO)
	./huntcon -r $(DEMO)

check: huntcon $(ASAN)/huntcon $(ASAN_UNIT_BIN) $(B)/capgen $(B)/pcaprec \
	    $(FUZZ_BIN)
	@tests/run.sh

# The inner loop: unit tests linked with the ordinary engine, fast shell tests.
check-quick: huntcon $(UNIT_BIN) $(B)/capgen $(B)/pcaprec
	@tests/run.sh --quick

# The tshark oracle over all of linktypes, benign and arkime_tests.
check-corpus: huntcon $(B)/capgen
	@tests/run.sh --corpus

bench: huntcon $(B)/capgen
	@tests/bench.sh

# The fleet's part alone: ship rate and drill latency in a two-shard
# ClickHouse cluster on 127.0.0.1 (FLEET_SESSIONS, default 1,000,000).
bench-fleet: huntcon $(B)/capgen
	@tests/bench/fleet.sh $(FLEET_SESSIONS)

# Install as a Debian tool would: the installed binary finds its rules and
# themes in ../share/huntcon beside its bin directory (src/util/datadir.c),
# so the binary built for the source tree is installed as it is.
PREFIX	?= /usr/local
BINDIR	:= $(PREFIX)/bin
MANDIR	:= $(PREFIX)/share/man
DATADIR	:= $(PREFIX)/share/huntcon
INSTALL	?= install
DATA	= $(sort $(shell find rules themes -type f ! -name '.*'))
DATADIRS = $(shell find rules themes -depth -type d)
MAN1	:= man/huntcon.1
MAN5	:= man/huntcon-rules.5

install: huntcon
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 \
	    $(addprefix $(DESTDIR)$(DATADIR)/,$(DATADIRS))
	$(INSTALL) -m 0755 huntcon $(DESTDIR)$(BINDIR)/huntcon
	$(INSTALL) -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	@for f in $(DATA); do \
	    echo "$(INSTALL) -m 0644 $$f $(DESTDIR)$(DATADIR)/$$f"; \
	    $(INSTALL) -m 0644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done

# Remove what install put there, and huntcon's own directories once empty.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/huntcon \
	    $(DESTDIR)$(MANDIR)/man1/$(notdir $(MAN1)) \
	    $(DESTDIR)$(MANDIR)/man5/$(notdir $(MAN5)) \
	    $(addprefix $(DESTDIR)$(DATADIR)/,$(DATA))
	-rmdir $(addprefix $(DESTDIR)$(DATADIR)/,$(DATADIRS)) \
	    $(DESTDIR)$(DATADIR) 2>/dev/null || true

clean:
	rm -rf $(B) huntcon

.PHONY: all run check check-quick check-corpus bench bench-drill bench-fleet \
	fuzz install uninstall clean
.SECONDARY:

-include $(shell find $(B) -name '*.d' 2>/dev/null)
