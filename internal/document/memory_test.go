package document

import (
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestLargeStreamBoundedMemory puts and reads back a 30 MB video, through
// Store.Put and through Checker.Accept, and checks that the package
// allocates a small fraction of that: the content is streamed, never held.
//
// Not parallel: it measures the process's allocations, which other tests
// running at the same time would add to. Sequential top-level tests run
// while the parallel ones wait.
func TestLargeStreamBoundedMemory(t *testing.T) {
	const size = 30 << 20
	const budget = 4 << 20 // allocation allowed for the whole round trip
	b := setup(t)
	ctx := context.Background()
	video := func(seed uint64) io.Reader {
		head := sampleMP4(0)
		return io.MultiReader(
			&fixedReader{b: head},
			io.LimitReader(rand.NewChaCha8([32]byte{byte(seed)}), size-int64(len(head))),
		)
	}
	sumOf := func(seed uint64) []byte {
		h := sha256.New()
		if _, err := io.Copy(h, video(seed)); err != nil {
			t.Fatal(err)
		}
		return h.Sum(nil)
	}
	readBack := func(id string) []byte {
		r, err := b.store.Open(id)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			t.Fatal(err)
		}
		return h.Sum(nil)
	}
	p := bestMatch(t)
	p.MaxFileSize = 40 << 20
	wantPut, wantAccept := sumOf(1), sumOf(2)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	blob, err := b.store.Put(ctx, video(1), "video.mp4")
	if err != nil {
		t.Fatal(err)
	}
	gotPut := readBack(blob.ID)
	doc, err := b.checker.Accept(ctx, p, b.store, Upload{Name: "gesprek.mp4", Body: video(2)})
	if err != nil {
		t.Fatal(err)
	}
	gotAccept := readBack(doc.ID)
	runtime.ReadMemStats(&after)

	if string(gotPut) != string(wantPut) || string(gotAccept) != string(wantAccept) || blob.Size != size || doc.Size != size {
		t.Fatalf("round trip changed the content (sizes %d, %d)", blob.Size, doc.Size)
	}
	if doc.Format != "mp4" {
		t.Fatalf("format %q; want mp4", doc.Format)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB to put, accept and read back 2 × %d MiB", allocated>>10, size>>20)
	if allocated > budget {
		t.Fatalf("allocated %d bytes for 2 × %d MiB; want under %d: the stream is being held in memory", allocated, size>>20, budget)
	}
}

type fixedReader struct{ b []byte }

func (f *fixedReader) Read(p []byte) (int, error) {
	if len(f.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, f.b)
	f.b = f.b[n:]
	return n, nil
}
