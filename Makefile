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

test:
	deploy/testdeps.sh
	OKIT_TEST_DATABASE_URL="$$(deploy/localpg.sh)" $(GO) test -count=1 -timeout 12m ./...

vet:
	$(GO) vet ./...
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
