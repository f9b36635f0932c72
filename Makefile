# The two commands of the README: `make demo` and `make test`.
# Both find a PostgreSQL (OKIT_DATABASE_URL, or one on 127.0.0.1:5432) or start
# a private throwaway one with deploy/localpg.sh.

GO ?= go

.PHONY: demo test build bench fuzz vet screenshots

build:
	$(GO) build -o bin/okit ./cmd/okit

# DEMO_FLAGS, e.g. "--database okit_demo_mine --http 127.0.0.1:0", run a second demo beside another.
demo: build
	OKIT_DATABASE_URL="$$(deploy/localpg.sh)" bin/okit demo $(DEMO_FLAGS)

# Every test twice: as built for use, then with the race detector (which
# also builds the okit processes that cmd/okit's tests start with -race).
# On the 2-core machine the second run takes about four minutes more; its
# cmd/okit package alone took 10 to over 12 minutes on a slower machine
# shared with other tests (2026-12-07), hence its longer time-out.
test:
	deploy/testdeps.sh
	url="$$(deploy/localpg.sh)" && \
	OKIT_TEST_DATABASE_URL="$$url" $(GO) test -count=1 -timeout 12m ./... && \
	OKIT_TEST_DATABASE_URL="$$url" $(GO) test -race -count=1 -timeout 25m ./...

# staticcheck, pinned, built from the Go module proxy on first use (then
# from the module and build caches): nothing to install by hand, and the
# linter's own dependencies stay out of go.mod.
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2

vet:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l .; echo "gofmt would change the files above"; exit 1)

# Benchmarks are not part of `make test`; figures and how to read them are in the README.
bench:
	OKIT_TEST_DATABASE_URL="$$(deploy/localpg.sh)" $(GO) test -run '^$$' -bench . -benchtime 2s -count 5 ./...

fuzz:
	$(GO) test ./message -run '^$$' -fuzz FuzzParse -fuzztime 2m

# The README's screenshots: okit demo in headless Chromium.
screenshots:
	deploy/testdeps.sh
	OKIT_SCREENSHOTS=$(CURDIR)/docs/screenshots OKIT_TEST_DATABASE_URL="$$(deploy/localpg.sh)" $(GO) test -count=1 ./cmd/okit -run TestDemoScreenshots
