# Release build, install and Debian package.
#
#   make                  dist/: the static release binary (stripped), its man page and
#                         bash, zsh and fish completions
#   make install          those, the shipped policies and example configs under PREFIX
#                         (default /usr/local; DESTDIR for staging); make uninstall
#   make deb              dist/mailscrub_VERSION_ARCH.deb (packaging/deb.sh)
#   make test             the test suite: swift test, then the schema and DuckDB tests
#
# The binary links the Swift runtime and Foundation statically (--static-swift-stdlib):
# it needs only glibc, libstdc++ and the system's libcrypto, zlib, liblzma, libzstd and
# libbz2, none of the toolchain's libraries. It is optimized as one program (full LTO:
# 15 % faster than a plain release build on the benchmark log), in its own scratch
# directory, so that it does not rebuild `swift build -c release`'s modules each time.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
VERSION := $(shell sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/mailscrub/MailScrubCommand.swift)
RELEASE := $(SWIFT) build -c release --static-swift-stdlib --experimental-lto-mode=full \
	--scratch-path .build/make --product mailscrub
SOURCES := Package.swift $(shell find Sources -name '*.swift' -o -name '*.h' -o -name '*.modulemap')

bindir := $(DESTDIR)$(PREFIX)/bin
sharedir := $(DESTDIR)$(PREFIX)/share

.PHONY: all install uninstall deb test version clean
all: dist/mailscrub dist/mailscrub.1 dist/completions/mailscrub.bash

dist/mailscrub: $(SOURCES)
	$(RELEASE)
	mkdir -p dist
	cp "$$($(RELEASE) --show-bin-path)/mailscrub" $@.tmp
	strip $@.tmp
	mv $@.tmp $@

dist/mailscrub.1: $(SOURCES) packaging/manpage.sh packaging/mailscrub.1.sections
	packaging/manpage.sh $@

dist/completions/mailscrub.bash: dist/mailscrub packaging/completion-default-subcommand.bash
	mkdir -p dist/completions
	dist/mailscrub --generate-completion-script bash > dist/completions/mailscrub.bash
	cat packaging/completion-default-subcommand.bash >> dist/completions/mailscrub.bash
	dist/mailscrub --generate-completion-script zsh > dist/completions/_mailscrub
	dist/mailscrub --generate-completion-script fish > dist/completions/mailscrub.fish

install: all
	install -D -m 755 dist/mailscrub $(bindir)/mailscrub
	install -D -m 644 dist/mailscrub.1 $(sharedir)/man/man1/mailscrub.1
	install -D -m 644 dist/completions/mailscrub.bash $(sharedir)/bash-completion/completions/mailscrub
	install -D -m 644 dist/completions/_mailscrub $(sharedir)/zsh/site-functions/_mailscrub
	install -D -m 644 dist/completions/mailscrub.fish $(sharedir)/fish/vendor_completions.d/mailscrub.fish
	install -d $(sharedir)/mailscrub/policy $(sharedir)/doc/mailscrub/examples/scheduled
	install -m 644 policy/*.yml $(sharedir)/mailscrub/policy/
	install -m 644 README.md $(sharedir)/doc/mailscrub/
	install -m 644 examples/sample.log config/mailscrub.yml.example $(sharedir)/doc/mailscrub/examples/
	install -m 644 config/scheduled/* $(sharedir)/doc/mailscrub/examples/scheduled/

uninstall:
	rm -f $(bindir)/mailscrub $(sharedir)/man/man1/mailscrub.1 \
		$(sharedir)/bash-completion/completions/mailscrub $(sharedir)/zsh/site-functions/_mailscrub \
		$(sharedir)/fish/vendor_completions.d/mailscrub.fish
	rm -rf $(sharedir)/mailscrub $(sharedir)/doc/mailscrub

deb: all
	packaging/deb.sh $(VERSION)

test:
	$(SWIFT) test
	python3 -m unittest discover -s Tests/Python -v

version:
	@echo $(VERSION)

clean:
	rm -rf dist
