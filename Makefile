# Gegrond: `make test` runs every test (SQLite and PostgreSQL; PostgreSQL is
# started by the test helper from the system's binaries).
GO ?= go

.PHONY: test vet fmt staticcheck bench build

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
