package document

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
)

func pseudoRandom(seed uint64, n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestStoreRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		size int
	}{
		{"empty file", 0},
		{"one byte", 1},
		{"just under one segment", segmentSize - 1},
		{"exactly one segment", segmentSize},
		{"one byte into the second segment", segmentSize + 1},
		{"exactly three segments", 3 * segmentSize},
		{"several segments and a tail", 3*segmentSize + 12345},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			data := pseudoRandom(uint64(i), tt.size)
			blob, err := b.store.Put(context.Background(), bytes.NewReader(data), "../../verslag\x00.bin")
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if blob.Size != int64(tt.size) || blob.SHA256 != hex.EncodeToString(sum[:]) || blob.Name != "verslag.bin" || !idPattern.MatchString(blob.ID) {
				t.Fatalf("blob = %+v; want size %d, sha256 of the plaintext, a sanitised name and a random id", blob, tt.size)
			}
			raw, err := os.ReadFile(filepath.Join(b.dir, blob.ID))
			if err != nil {
				t.Fatal(err)
			}
			if tt.size >= 16 && bytes.Contains(raw, data[:16]) {
				t.Fatal("the stored file contains plaintext")
			}
			r, err := b.store.Open(blob.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, data) || r.Size() != int64(tt.size) {
				t.Fatalf("read back %d bytes (size %d), %v; want the %d bytes put", len(got), r.Size(), err, tt.size)
			}
			// Random access across segment boundaries, as range requests do.
			for _, off := range []int64{0, segmentSize - 3, segmentSize, int64(tt.size) - 5} {
				if off < 0 || off >= int64(tt.size) {
					continue
				}
				if _, err := r.Seek(off, io.SeekStart); err != nil {
					t.Fatal(err)
				}
				p := make([]byte, 10)
				n, err := io.ReadFull(r, p)
				want := data[off:min(off+10, int64(tt.size))]
				if !bytes.Equal(p[:n], want) || (err != nil && n != len(want)) {
					t.Fatalf("at %d read %x, %v; want %x", off, p[:n], err, want)
				}
			}
		})
	}
}

func TestStoreRefusesNamesThatAreNotIDs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, id := range []string{"", "../store", "/etc/passwd", "ABCDEF0123456789ABCDEF0123456789", "tmp", strings.Repeat("a", 31)} {
		if _, err := b.store.Open(id); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("Open(%q) = %v; want not_found", id, err)
		}
		if err := b.store.Delete(id); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("Delete(%q) = %v; want not_found", id, err)
		}
	}
	missing := strings.Repeat("ab", 16)
	if _, err := b.store.Open(missing); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("Open(missing) = %v; want not_found", err)
	}
	if err := b.store.Delete(missing); err != nil {
		t.Errorf("Delete(missing) = %v; want nil: a retried clean-up succeeds", err)
	}
}

// readAllBlob opens and reads id, returning the first error.
func readAllBlob(s *Store, id string) error {
	r, err := s.Open(id)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(io.Discard, r)
	return err
}

func TestStoreDetectsTampering(t *testing.T) {
	t.Parallel()
	const size = 3*segmentSize + 1000 // four segments
	const full = segmentSize + tagSize
	tests := []struct {
		name   string
		tamper func(t *testing.T, b *testBundle, id string, raw []byte, hdr int) []byte
	}{
		{"a flipped byte in the first segment", func(_ *testing.T, _ *testBundle, _ string, raw []byte, hdr int) []byte {
			raw[hdr+100] ^= 1
			return raw
		}},
		{"a flipped byte in a middle segment", func(_ *testing.T, _ *testBundle, _ string, raw []byte, hdr int) []byte {
			raw[hdr+2*full+7] ^= 0x80
			return raw
		}},
		{"a flipped byte in the last segment's tag", func(_ *testing.T, _ *testBundle, _ string, raw []byte, _ int) []byte {
			raw[len(raw)-1] ^= 1
			return raw
		}},
		{"a flipped byte in the wrapped key", func(_ *testing.T, _ *testBundle, _ string, raw []byte, hdr int) []byte {
			raw[hdr-5] ^= 1
			return raw
		}},
		{"a changed nonce prefix", func(_ *testing.T, _ *testBundle, _ string, raw []byte, hdr int) []byte {
			raw[hdr-wrappedSize-wrapNonceSize-1] ^= 1
			return raw
		}},
		{"truncated by one byte", func(_ *testing.T, _ *testBundle, _ string, raw []byte, _ int) []byte {
			return raw[:len(raw)-1]
		}},
		{"truncated at a segment boundary (last segment dropped)", func(_ *testing.T, _ *testBundle, _ string, raw []byte, hdr int) []byte {
			return raw[:hdr+3*full]
		}},
		{"cut to the header", func(_ *testing.T, _ *testBundle, _ string, raw []byte, hdr int) []byte {
			return raw[:hdr]
		}},
		{"a segment appended", func(_ *testing.T, _ *testBundle, _ string, raw []byte, hdr int) []byte {
			return append(raw, raw[hdr:hdr+full]...)
		}},
		{"two segments swapped", func(_ *testing.T, _ *testBundle, _ string, raw []byte, hdr int) []byte {
			s0 := bytes.Clone(raw[hdr : hdr+full])
			copy(raw[hdr:], raw[hdr+full:hdr+2*full])
			copy(raw[hdr+full:], s0)
			return raw
		}},
		{"a segment from another file with the same layout", func(t *testing.T, b *testBundle, _ string, raw []byte, hdr int) []byte {
			other, err := b.store.Put(context.Background(), bytes.NewReader(make([]byte, size)), "ander.bin")
			if err != nil {
				t.Fatal(err)
			}
			o, err := os.ReadFile(filepath.Join(b.dir, other.ID))
			if err != nil {
				t.Fatal(err)
			}
			copy(raw[hdr+full:hdr+2*full], o[hdr+full:hdr+2*full])
			return raw
		}},
		{"the whole file of another id", func(t *testing.T, b *testBundle, _ string, _ []byte, _ int) []byte {
			other, err := b.store.Put(context.Background(), bytes.NewReader(make([]byte, size)), "ander.bin")
			if err != nil {
				t.Fatal(err)
			}
			o, err := os.ReadFile(filepath.Join(b.dir, other.ID))
			if err != nil {
				t.Fatal(err)
			}
			return o
		}},
		{"not a document file at all", func(_ *testing.T, _ *testBundle, _ string, _ []byte, _ int) []byte {
			return []byte("%PDF-1.4 plaintext put there by someone")
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			blob, err := b.store.Put(context.Background(), bytes.NewReader(pseudoRandom(uint64(100+i), size)), "video.mp4")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(b.dir, blob.ID)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			hdr := len(raw) - (4*tagSize + size)
			raw = tt.tamper(t, b, blob.ID, raw, hdr)
			if err := os.WriteFile(path, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := readAllBlob(b.store, blob.ID); !errors.Is(err, ErrTampered) {
				t.Fatalf("reading the tampered file: %v; want ErrTampered", err)
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	oldKey := randomKey(t)
	newKey := randomKey(t)
	ring := func(current string, keys map[string][]byte) *Keyring {
		t.Helper()
		k, err := NewKeyring(current, keys)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	store := func(k *Keyring) *Store {
		t.Helper()
		s, err := NewStore(b.dir, k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	data := pseudoRandom(7, 2*segmentSize+10)
	old := store(ring("2026a", map[string][]byte{"2026a": oldKey}))
	blob, err := old.Put(ctx, bytes.NewReader(data), "brief.pdf")
	if err != nil {
		t.Fatal(err)
	}
	both := store(ring("2026b", map[string][]byte{"2026a": oldKey, "2026b": newKey}))
	if err := readAllBlob(both, blob.ID); err != nil {
		t.Fatalf("with the old key still in the ring: %v", err)
	}
	fresh, err := both.Put(ctx, strings.NewReader("nieuw"), "nieuw.txt")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := both.RewrapAll(ctx); err != nil || n != 1 {
		t.Fatalf("RewrapAll = %d, %v; want 1 (the new file is already under the new key)", n, err)
	}
	if again, err := both.Rewrap(blob.ID); err != nil || again {
		t.Fatalf("second Rewrap = %v, %v; want false", again, err)
	}
	onlyNew := store(ring("2026b", map[string][]byte{"2026b": newKey}))
	for _, id := range []string{blob.ID, fresh.ID} {
		r, err := onlyNew.Open(id)
		if err != nil {
			t.Fatalf("after rotation, with the old key removed: %v", err)
		}
		got, err := io.ReadAll(r)
		_ = r.Close()
		if err != nil || (id == blob.ID && !bytes.Equal(got, data)) {
			t.Fatalf("after rotation read %d bytes, %v", len(got), err)
		}
	}
	onlyOld := store(ring("2026a", map[string][]byte{"2026a": oldKey}))
	if err := readAllBlob(onlyOld, blob.ID); !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), "2026b") {
		t.Fatalf("with only the retired key: %v; want ErrUnknownKey naming 2026b", err)
	}
	wrongSameID := store(ring("2026b", map[string][]byte{"2026b": randomKey(t)}))
	if err := readAllBlob(wrongSameID, blob.ID); !errors.Is(err, ErrTampered) {
		t.Fatalf("with a different key under the same id: %v; want ErrTampered", err)
	}
	if f := files(t, filepath.Join(b.dir, tmpDir)); len(f) > 0 {
		t.Fatalf("rewrap left %v in tmp/", f)
	}
}

func TestParseKeyring(t *testing.T) {
	t.Parallel()
	k32 := base64.StdEncoding.EncodeToString(make([]byte, 32))
	k32raw := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	tests := []struct {
		name    string
		spec    string
		current string
		bad     string
	}{
		{name: "one key", spec: "2026a:" + k32, current: "2026a"},
		{name: "the first of several is current", spec: "2026b:" + k32raw + ", 2026a:" + k32, current: "2026b"},
		{name: "nothing configured", spec: " ", bad: "no document keys"},
		{name: "no id", spec: k32, bad: "without id"},
		{name: "not base64", spec: "a:***", bad: "not base64"},
		{name: "a 16-byte key", spec: "a:" + base64.StdEncoding.EncodeToString(make([]byte, 16)), bad: "16 bytes"},
		{name: "an id twice", spec: "a:" + k32 + ",a:" + k32, bad: "twice"},
		{name: "an id with a slash", spec: "a/b:" + k32, bad: "key id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := ParseKeyring(tt.spec)
			if tt.bad != "" {
				if err == nil || !strings.Contains(err.Error(), tt.bad) {
					t.Fatalf("ParseKeyring = %v; want an error containing %q", err, tt.bad)
				}
				if strings.Contains(err.Error(), k32) {
					t.Fatal("the error shows the key")
				}
				return
			}
			if err != nil || k.Current() != tt.current {
				t.Fatalf("ParseKeyring = %v, %v; want current %s", k, err, tt.current)
			}
		})
	}
}

// failAfter yields n bytes, then fails like a dropped connection.
type failAfter struct {
	n   int
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, f.err
	}
	n := min(len(p), f.n)
	clear(p[:n])
	f.n -= n
	return n, nil
}

func TestInterruptedPutLeavesNothing(t *testing.T) {
	t.Parallel()
	dropped := errors.New("connection reset by complainant's phone")
	tests := []struct {
		name string
		run  func(b *testBundle) error
	}{
		{"the upload stream fails halfway", func(b *testBundle) error {
			_, err := b.store.Put(context.Background(), &failAfter{n: 3*segmentSize + 5, err: dropped}, "x.pdf")
			return err
		}},
		{"the request is cancelled halfway", func(b *testBundle) error {
			ctx, cancel := context.WithCancel(context.Background())
			r := &cancelAfter{n: 2 * segmentSize, cancel: cancel}
			_, err := b.store.Put(ctx, r, "x.pdf")
			return err
		}},
		{"Accept: the upload stream fails halfway", func(b *testBundle) error {
			_, err := b.checker.Accept(context.Background(), defaultPolicy(t), b.store, Upload{Name: "x.pdf", Body: io.MultiReader(bytes.NewReader(samplePDF()), &failAfter{n: 100_000, err: dropped})})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			if err := tt.run(b); err == nil {
				t.Fatal("Put succeeded; want the stream's error")
			}
			b.assertNothingStored(t)
		})
	}
}

type cancelAfter struct {
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
	}
	n := min(len(p), max(c.n, 1))
	clear(p[:n])
	c.n -= n
	return n, nil
}

const (
	crashHelperEnv    = "GEGROND_DOCUMENT_CRASH_HELPER"
	crashHelperKeyEnv = "GEGROND_DOCUMENT_CRASH_KEY"
)

// crashHelper runs in a child process: it starts a Put, writes half a
// megabyte, says "ready" and blocks until the parent kills it.
func crashHelper(dir string) {
	keys, err := ParseKeyring(os.Getenv(crashHelperKeyEnv))
	if err != nil {
		fmt.Println("keys:", err)
		os.Exit(2)
	}
	s, err := NewStore(dir, keys)
	if err != nil {
		fmt.Println("store:", err)
		os.Exit(2)
	}
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(make([]byte, 512<<10))
		fmt.Println("ready")
		select {} // the process is killed here, mid-Put
	}()
	_, err = s.Put(context.Background(), pr, "video.mp4")
	fmt.Println("Put returned:", err)
	os.Exit(3)
}

// TestCrashLeavesNoFinalFile kills a process in the middle of a Put: no
// file may appear under a final name, and Sweep removes the partial file.
func TestCrashLeavesNoFinalFile(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := "crash:" + base64.StdEncoding.EncodeToString(randomKey(t))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+b.dir, crashHelperKeyEnv+"="+key)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("helper said %q, %v; want ready", line, err)
	}
	// Let the Put write what it was given, then crash it.
	deadline := time.Now().Add(10 * time.Second)
	for len(files(t, filepath.Join(b.dir, tmpDir))) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	left := files(t, b.dir)
	if len(left) != 1 || !strings.HasPrefix(left[0], tmpDir+string(filepath.Separator)) {
		t.Fatalf("after the crash the store holds %v; want only one partial file in tmp/", left)
	}
	keys, err := ParseKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(b.dir, keys)
	if err != nil {
		t.Fatal(err)
	}
	never := func(string) (bool, error) { t.Error("keep asked about a partial file"); return true, nil }
	if _, err := s.Sweep(context.Background(), never, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if len(files(t, b.dir)) != 1 {
		t.Fatal("Sweep removed a partial file younger than the cutoff: it may belong to a running Put")
	}
	if _, err := s.Sweep(context.Background(), never, time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if f := files(t, b.dir); len(f) > 0 {
		t.Fatalf("after Sweep the store holds %v; want nothing", f)
	}
}

func TestSweep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	old := now.Add(-2 * time.Hour)
	put := func(b *testBundle, when time.Time) string {
		t.Helper()
		blob, err := b.store.Put(ctx, strings.NewReader("bewijs"), "bewijs.txt")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(b.dir, blob.ID), when, when); err != nil {
			t.Fatal(err)
		}
		return blob.ID
	}

	t.Run("unreferenced old files go, referenced and recent ones stay", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		committed := put(b, old)
		orphan := put(b, old)
		inFlight := put(b, now.Add(-time.Minute)) // its transaction may still run
		foreign := filepath.Join(b.dir, "README")
		if err := os.WriteFile(foreign, []byte("not ours"), 0o600); err != nil {
			t.Fatal(err)
		}
		_ = os.Chtimes(foreign, old, old)
		asked := map[string]bool{}
		removed, err := b.store.Sweep(ctx, func(id string) (bool, error) {
			asked[id] = true
			return id == committed, nil
		}, now.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(removed) != 1 || removed[0] != orphan {
			t.Fatalf("removed %v; want only the orphan %s", removed, orphan)
		}
		if asked[inFlight] {
			t.Error("keep was asked about a file younger than the cutoff")
		}
		for _, id := range []string{committed, inFlight} {
			if err := readAllBlob(b.store, id); err != nil {
				t.Errorf("%s: %v; want it kept", id, err)
			}
		}
		if _, err := os.Stat(foreign); err != nil {
			t.Error("Sweep removed a file it did not write")
		}
	})

	t.Run("an error from keep stops the sweep and removes nothing more", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		put(b, old)
		put(b, old)
		dbDown := errors.New("database is down")
		removed, err := b.store.Sweep(ctx, func(string) (bool, error) { return false, dbDown }, now)
		if !errors.Is(err, dbDown) || len(removed) != 0 {
			t.Fatalf("Sweep = %v, %v; want the keep error and nothing removed", removed, err)
		}
		if n := len(files(t, b.dir)); n != 2 {
			t.Fatalf("%d files left; want 2", n)
		}
	})
}
