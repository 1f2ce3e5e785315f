package document

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gabriel-vasile/mimetype"

	"github.com/gegrond/gegrond/internal/document/clamd"
)

// Scanner scans a stream for viruses; *clamd.Client is one.
type Scanner interface {
	Scan(ctx context.Context, r io.Reader) (clamd.Result, error)
}

// Checker decides whether uploaded files may be kept. The zero value checks
// without a virus scan and spools to os.TempDir.
type Checker struct {
	// Scanner scans every file that passes the other checks; nil means no
	// virus scan (Document.Scanned stays false).
	Scanner Scanner
	// TempDir holds Check's encrypted scratch files and spooled nested
	// archives; os.TempDir() when empty. Store.TempDir is a good choice:
	// Store.Sweep then also clears what a crash leaves there.
	TempDir string
}

// Upload is one file as it arrives: read it as a stream (a multipart.Part
// from http.Request.MultipartReader, not ParseMultipartForm, which writes
// large files to disk unencrypted).
type Upload struct {
	// Name is the file name the person's device sent; untrusted.
	Name string
	// Body is the content.
	Body io.Reader
}

// Document is an accepted file.
type Document struct {
	Blob
	// Format is the policy's format name the content matched ("pdf").
	Format string
	// Encrypted is set for a password-protected archive (Best Match asks
	// for an AES-256 ZIP): accepted as received, its content not inspected
	// and, by clamd, not scannable.
	Encrypted bool
	// Scanned is set when clamd scanned the file and found it clean. It
	// stays false for an Encrypted archive, whose content clamd cannot see:
	// the handler who opens it should scan what comes out.
	Scanned bool
}

// Check reads u and says whether it would be accepted under p, keeping
// nothing: the content passes through an encrypted scratch file that is
// removed before Check returns. A refusal is a *Refusal; any other error
// is internal (or the reader's own).
func (c *Checker) Check(ctx context.Context, p Policy, u Upload) (Document, error) {
	spool, err := newSpool(c.tempDir())
	if err != nil {
		return Document{}, err
	}
	defer spool.abort()
	return c.check(ctx, p.withDefaults(), spool, u)
}

// Accept reads u, checks it under p and, only when it passes every check,
// stores it encrypted in s. A refused or failed upload leaves nothing in
// the store. A refusal is a *Refusal (wrapping an *apperr.Error, field
// "evidence"); a virus refusal carries the signature to log. Reading stops
// at p.MaxFileSize+1 bytes: the caller should then stop reading the
// request.
func (c *Checker) Accept(ctx context.Context, p Policy, s *Store, u Upload) (Document, error) {
	pend, err := s.create()
	if err != nil {
		return Document{}, err
	}
	defer pend.abort()
	doc, err := c.check(ctx, p.withDefaults(), pend, u)
	if err != nil {
		return Document{}, err
	}
	if err := pend.commit(); err != nil {
		return Document{}, err
	}
	doc.ID = pend.id
	return doc, nil
}

func (c *Checker) tempDir() string {
	if c.TempDir != "" {
		return c.TempDir
	}
	return os.TempDir()
}

// check runs every check on u while writing it to pend, cheap ones first:
// size while copying, then type, then archive limits, then the virus scan.
func (c *Checker) check(ctx context.Context, p Policy, pend *pending, u Upload) (Document, error) {
	name := SanitizeName(u.Name)
	n, err := io.Copy(pend, io.LimitReader(ctxReader{ctx, u.Body}, p.MaxFileSize+1))
	if err != nil {
		return Document{}, fmt.Errorf("document: reading upload %q: %w", name, err)
	}
	if n > p.MaxFileSize {
		r := newRefusal(ReasonTooLarge, name)
		r.Limit = p.MaxFileSize
		return Document{}, r.done()
	}
	if n == 0 {
		return Document{}, newRefusal(ReasonEmpty, name).done()
	}
	if err := pend.finish(); err != nil {
		return Document{}, err
	}
	op, err := pend.opener()
	if err != nil {
		return Document{}, err
	}

	detected := mimetype.Detect(pend.head)
	mt := detected.String()
	encrypted := false
	if isZipFamily(detected) {
		if !allowsZip(p.Formats) {
			return Document{}, typeRefusal(name, mt, p)
		}
		in := &inspector{lim: p.Archive, name: name, tempDir: c.tempDir(), buf: make([]byte, 32<<10)}
		zr, err := in.open(op, op.Size())
		if err != nil {
			return Document{}, err
		}
		mt = classifyZip(zr)
		if _, ok := matchFormat(p.Formats, mt, true); !ok {
			return Document{}, typeRefusal(name, mt, p)
		}
		if err := in.walk(ctx, zr, op.Size(), 1); err != nil {
			return Document{}, err
		}
		encrypted = in.encrypted
	}
	// UTF-16 text (what older Windows Notepad saves as "Unicode") is full
	// of NUL bytes; mimetype only says so when it starts with a BOM.
	utf16 := strings.Contains(mt, "charset=utf-16")
	format, ok := matchFormat(p.Formats, mt, !pend.nul || utf16)
	if !ok {
		if pend.nul && !utf16 && detected.Is("text/plain") {
			mt = "application/octet-stream"
		}
		return Document{}, typeRefusal(name, mt, p)
	}

	doc := Document{Blob: pend.blob(name, mt), Format: format, Encrypted: encrypted}
	if c.Scanner != nil {
		res, err := c.Scanner.Scan(ctx, io.NewSectionReader(op, 0, op.Size()))
		if err != nil {
			if errors.Is(err, ErrTampered) {
				return Document{}, err
			}
			if ctx.Err() != nil {
				return Document{}, fmt.Errorf("document: scanning upload %q: %w", name, ctx.Err())
			}
			r := newRefusal(ReasonVirusScanFailed, name)
			r.Cause = err
			return Document{}, r.done()
		}
		if res.Infected {
			r := newRefusal(ReasonVirus, name)
			r.Virus = res.Signature
			return Document{}, r.done()
		}
		// clamd sees only ciphertext inside a password-protected archive.
		doc.Scanned = !encrypted
	}
	return doc, nil
}

// isZipFamily reports whether m is a ZIP container by its sniffed type.
func isZipFamily(m *mimetype.MIME) bool {
	for ; m != nil; m = m.Parent() {
		if m.Is(mimeZip) {
			return true
		}
	}
	return false
}

func typeRefusal(name, detected string, p Policy) *Refusal {
	r := newRefusal(ReasonTypeNotAllowed, name)
	r.Detected = detected
	r.Allowed = labels(p.Formats)
	return r.done()
}

// Submission collects the files of one complaint or one portal action,
// enforcing the policy's number of files. When the submission fails as a
// whole (a refused file, a form error, a failed transaction), Discard
// removes what it stored; files of a crash are left to Store.Sweep.
type Submission struct {
	checker *Checker
	policy  Policy
	store   *Store
	docs    []Document
}

// NewSubmission starts a submission under p into s.
func (c *Checker) NewSubmission(p Policy, s *Store) *Submission {
	return &Submission{checker: c, policy: p.withDefaults(), store: s}
}

// Add accepts one more file (see Checker.Accept). The file after the
// policy's MaxFiles is refused with ReasonTooManyFiles without being read.
func (s *Submission) Add(ctx context.Context, u Upload) (Document, error) {
	if len(s.docs) >= s.policy.MaxFiles {
		r := newRefusal(ReasonTooManyFiles, SanitizeName(u.Name))
		r.Limit = int64(s.policy.MaxFiles)
		return Document{}, r.done()
	}
	doc, err := s.checker.Accept(ctx, s.policy, s.store, u)
	if err != nil {
		return Document{}, err
	}
	s.docs = append(s.docs, doc)
	return doc, nil
}

// Documents returns the files accepted so far.
func (s *Submission) Documents() []Document { return s.docs }

// Discard deletes every file the submission stored. Call it when the
// submission is not committed; it is safe to call more than once.
func (s *Submission) Discard() error {
	var errs []error
	for _, d := range s.docs {
		if err := s.store.Delete(d.ID); err != nil {
			errs = append(errs, err)
		}
	}
	s.docs = nil
	return errors.Join(errs...)
}
