# Gegrond: `make test` runs every test (SQLite and PostgreSQL; PostgreSQL is
# started by the test helper from the system's binaries).
GO ?= go

.PHONY: test vet fmt staticcheck bench build screenshots

test: vet
	$(GO) test -count=1 -timeout 30m ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (echo "gofmt needed:"; gofmt -l .; exit 1)
	$(GO) vet ./...

staticcheck:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

build:
	$(GO) build -o gegrond ./cmd/gegrond

# Renders the main screens to docs/screenshots/ with headless Chromium.
screenshots:
	$(GO) test ./internal/web -run '^TestScreenshots$$' -count=1 -screenshots "$(CURDIR)/docs/screenshots"
