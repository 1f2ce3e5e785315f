package zipcrypt

import (
	"archive/zip"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"strings"
)

// openEntry returns a reader of f's plaintext that checks it as it goes:
// limits, the declared size and, at the end, the CRC-32. total counts the
// bytes unpacked so far, for Limits.MaxTotal.
func openEntry(ctx context.Context, r io.ReaderAt, size int64, f *zip.File, password string, lim Limits, total *int64) (*entryReader, error) {
	name := entryName(f)
	p, err := planFor(f)
	if err != nil {
		return nil, err
	}
	if f.UncompressedSize64 > uint64(lim.MaxEntry) {
		return nil, entryError(name, fmt.Sprintf("declares %s, over the limit of %s for one file", byteSize(f.UncompressedSize64), byteSize(uint64(lim.MaxEntry))), ErrLimit)
	}
	src := &source{r: r}
	off, err := f.DataOffset()
	if err != nil {
		return nil, entryError(name, "no readable local header", ErrCorrupt)
	}
	if f.CompressedSize64 > uint64(size) || off > size-int64(f.CompressedSize64) {
		return nil, entryError(name, "the archive is cut short", ErrCorrupt)
	}
	raw := io.NewSectionReader(src, off, int64(f.CompressedSize64))

	var plain io.Reader
	switch p.enc {
	case None:
		plain = raw
	case ZipCrypto:
		plain, err = openZipCrypto(raw, name, password, zipCryptoCheck(f))
	default:
		plain, err = openAES(ctx, raw, name, password, p.keyLen)
	}
	if err != nil {
		return nil, err
	}
	er := &entryReader{
		name:     name,
		enc:      p.enc,
		ctx:      ctx,
		src:      src,
		lim:      lim,
		total:    total,
		packed:   int64(f.CompressedSize64),
		declared: f.UncompressedSize64,
	}
	if p.crc {
		er.crc, er.wantCRC = crc32.NewIEEE(), f.CRC32
	}
	if p.method == methodDeflate {
		fr := flate.NewReader(plain)
		er.body, er.closer = fr, fr
	} else {
		er.body = plain
	}
	return er, nil
}

// zipCryptoCheck returns the byte that ends a ZipCrypto header: the CRC's
// high byte, or the DOS time's when the CRC follows the data and was not
// known when the header was written.
func zipCryptoCheck(f *zip.File) byte {
	if f.Flags&flagDescriptor != 0 {
		return byte(f.ModifiedTime >> 8)
	}
	return byte(f.CRC32 >> 24)
}

// entryReader is the plaintext of one entry, counted and checked.
type entryReader struct {
	name     string
	enc      Encryption
	ctx      context.Context
	src      *source
	body     io.Reader
	closer   io.Closer
	lim      Limits
	total    *int64
	packed   int64
	declared uint64
	n        int64
	crc      hash.Hash32 // nil when the CRC is not checked
	wantCRC  uint32
	err      error // sticky
}

// Read reads plaintext; at the end it returns io.EOF only if the entry
// checked out.
func (e *entryReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if err := e.ctx.Err(); err != nil {
		e.err = err
		return 0, err
	}
	n, err := e.body.Read(p)
	if n > 0 {
		e.n += int64(n)
		*e.total += int64(n)
		if lerr := e.checkSize(); lerr != nil {
			e.err = lerr
			return 0, lerr
		}
		if e.crc != nil {
			e.crc.Write(p[:n])
		}
	}
	switch {
	case err == io.EOF:
		err = e.finish()
	case err != nil:
		err = e.failed(err)
	}
	if err != nil {
		e.err = err
	}
	return n, err
}

// checkSize holds the bytes unpacked so far to the limits and to the
// declared size.
func (e *entryReader) checkSize() error {
	switch {
	case e.n > e.lim.MaxEntry:
		return entryError(e.name, "unpacked past the limit of "+byteSize(uint64(e.lim.MaxEntry))+" for one file", ErrLimit)
	case *e.total > e.lim.MaxTotal:
		return entryError(e.name, "unpacked past the limit of "+byteSize(uint64(e.lim.MaxTotal))+" for the whole archive", ErrLimit)
	case e.n > ratioFrom && e.n/e.lim.MaxRatio > e.packed:
		return entryError(e.name, fmt.Sprintf("unpacked to over %d times its packed size, as a decompression bomb does", e.lim.MaxRatio), ErrLimit)
	case uint64(e.n) > e.declared:
		return entryError(e.name, "unpacked past the "+byteSize(e.declared)+" it declares", ErrCorrupt)
	}
	return nil
}

// finish checks the whole entry.
func (e *entryReader) finish() error {
	if uint64(e.n) != e.declared {
		return entryError(e.name, fmt.Sprintf("unpacked to %d bytes, not the %d it declares", e.n, e.declared), ErrCorrupt)
	}
	if e.crc != nil && e.crc.Sum32() != e.wantCRC {
		if e.enc == ZipCrypto {
			return entryError(e.name, "the checksum does not match: most likely the password is wrong (the quick check lets one wrong password in 256 through), else the archive is damaged", ErrCorrupt)
		}
		return entryError(e.name, "the checksum does not match", ErrCorrupt)
	}
	return io.EOF
}

// failed turns an error from the entry's data into one that says what is
// wrong.
func (e *entryReader) failed(err error) error {
	if e.src.err != nil {
		return fmt.Errorf("zip entry %q: reading the archive: %w", e.name, e.src.err)
	}
	var corrupt flate.CorruptInputError
	if errors.As(err, &corrupt) || errors.Is(err, io.ErrUnexpectedEOF) {
		detail := "the compressed data is broken"
		if e.enc == ZipCrypto {
			detail += " (most likely the password is wrong: the quick check lets one wrong password in 256 through)"
		}
		return entryError(e.name, detail, ErrCorrupt)
	}
	return readError(e.name, err)
}

// Close releases the decompressor.
func (e *entryReader) Close() error {
	if e.closer != nil {
		e.closer.Close()
	}
	if e.err == nil {
		e.err = errors.New("zipcrypt: read after Close")
	}
	return nil
}

// wrongPassword reports a password that does not open name.
func wrongPassword(name, password string) error {
	if password == "" {
		return entryError(name, "the file is password-protected and no password was given; enter the password the complainant sent separately", ErrWrongPassword)
	}
	return entryError(name, "the password does not match", ErrWrongPassword)
}

// readError reports an error reading name's data: cut short, or not
// readable at all.
func readError(name string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return entryError(name, "the archive is cut short", ErrCorrupt)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("zip entry %q: reading the archive: %w", name, err)
}

// byteSize formats n bytes for a person: "512 bytes", "3.5 MiB".
func byteSize(n uint64) string {
	const unit = 1 << 10
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB", "PiB", "EiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + " " + suffix
}
