package document

import (
	"mime"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Defaults for a regulation without an evidence rule, and for the
// installation's limits.
const (
	// DefaultMaxFiles is the number of files one submission may carry.
	DefaultMaxFiles = 10
	// DefaultMaxFileSizeMB is the size limit per file without a rule.
	DefaultMaxFileSizeMB = 10
	// megabyte is what a regulation's "MB" means here: 2^20 bytes, the
	// reading that refuses the fewest files a person's device calls "10 MB".
	megabyte = 1 << 20
)

// DefaultFormats are the file kinds accepted when the regulation has no
// evidence rule: documents, photos (HEIC is what iPhones take), video,
// plain text and saved e-mails.
var DefaultFormats = []string{"pdf", "docx", "odt", "png", "jpg", "heic", "mp4", "txt", "eml"}

// ArchiveLimits bound what a ZIP container (a ZIP archive, or an Office
// file such as DOCX, XLSX or ODT) may unpack to, so that a small upload
// cannot make the server, the virus scanner or a handler's computer unpack
// gigabytes (a decompression bomb). Zero fields take the defaults.
type ArchiveLimits struct {
	// MaxEntries is the number of entries in all nested archives together
	// (default 1000; a DOCX has about 20).
	MaxEntries int
	// MaxUncompressed is the total unpacked size in bytes, nested archives
	// included (default 256 MiB).
	MaxUncompressed int64
	// MaxRatio is the largest unpacked/packed ratio of one entry, and of the
	// archive as a whole (default 100; ordinary documents stay under 20).
	MaxRatio int64
	// RatioFrom is the unpacked size from which MaxRatio applies: a small
	// entry may compress well without harm (default 1 MiB).
	RatioFrom int64
	// MaxDepth is how deep archives may nest, the upload itself being
	// depth 1 (default 3: a ZIP holding a ZIP holding a DOCX).
	MaxDepth int
}

// DefaultArchiveLimits are the limits used for zero fields.
var DefaultArchiveLimits = ArchiveLimits{
	MaxEntries:      1000,
	MaxUncompressed: 256 << 20,
	MaxRatio:        100,
	RatioFrom:       1 << 20,
	MaxDepth:        3,
}

func (l ArchiveLimits) withDefaults() ArchiveLimits {
	d := DefaultArchiveLimits
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxUncompressed > 0 {
		d.MaxUncompressed = l.MaxUncompressed
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.RatioFrom > 0 {
		d.RatioFrom = l.RatioFrom
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	return d
}

// Limits are the installation's settings, the same for every regulation.
type Limits struct {
	// MaxFiles per submission; DefaultMaxFiles when 0.
	MaxFiles int
	// Archive limits; defaults for zero fields.
	Archive ArchiveLimits
}

// Policy says what one submission may carry: the regulation's formats and
// size limit, and the installation's limits.
type Policy struct {
	// Formats are format names ("pdf", "docx", ...) in the regulation's
	// order; the names in the messages follow this order.
	Formats []string
	// MaxFileSize is the limit per file in bytes.
	MaxFileSize int64
	// MaxFiles is the number of files per submission.
	MaxFiles int
	// Archive bounds what ZIP containers may unpack to.
	Archive ArchiveLimits
	// Source is the article of the regulation the formats and size come
	// from, for the handler's screens; empty for the defaults.
	Source string
}

// PolicyFor makes the policy for a regulation's evidence rule; a nil rule
// gives DefaultFormats and DefaultMaxFileSizeMB. A format this package does
// not know is an internal error: the regulation's validation and the format
// table here must agree.
func PolicyFor(rule *reglement.EvidenceRule, lim Limits) (Policy, error) {
	p := Policy{
		Formats:     DefaultFormats,
		MaxFileSize: DefaultMaxFileSizeMB * megabyte,
		MaxFiles:    lim.MaxFiles,
		Archive:     lim.Archive.withDefaults(),
	}
	if p.MaxFiles <= 0 {
		p.MaxFiles = DefaultMaxFiles
	}
	if rule != nil {
		p.Source = rule.Source
		if len(rule.Formats) > 0 {
			p.Formats = nil
			for _, f := range rule.Formats {
				f = strings.ToLower(strings.TrimSpace(f))
				if _, ok := formats[f]; !ok {
					return Policy{}, apperr.New(apperr.Internal, "evidence format %q of the regulation has no content type mapping in the document package", f)
				}
				if !slices.Contains(p.Formats, f) {
					p.Formats = append(p.Formats, f)
				}
			}
		}
		if rule.MaxFileSizeMB > 0 {
			p.MaxFileSize = int64(rule.MaxFileSizeMB) * megabyte
		}
	}
	return p, nil
}

func (p Policy) withDefaults() Policy {
	if len(p.Formats) == 0 {
		p.Formats = DefaultFormats
	}
	if p.MaxFileSize <= 0 {
		p.MaxFileSize = DefaultMaxFileSizeMB * megabyte
	}
	if p.MaxFiles <= 0 {
		p.MaxFiles = DefaultMaxFiles
	}
	p.Archive = p.Archive.withDefaults()
	return p
}

// format is a kind of file by name, with the content types that count as it.
type format struct {
	label string
	mimes []string
	// text formats must hold no NUL byte anywhere, not only in the part
	// that type detection reads.
	text bool
	// zip formats are ZIP containers, inspected for decompression bombs.
	zip bool
}

// Content types of the ZIP family, as this package names them.
const (
	mimeZip  = "application/zip"
	mimeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimePptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	mimeOdt  = "application/vnd.oasis.opendocument.text"
	mimeOds  = "application/vnd.oasis.opendocument.spreadsheet"
	mimeOdp  = "application/vnd.oasis.opendocument.presentation"
	mimeEpub = "application/epub+zip"
	mimeJar  = "application/java-archive"
	mimeApk  = "application/vnd.android.package-archive"
)

// formats maps every format name a regulation may use (see the reglement
// package's validation) to its content types.
var formats = map[string]format{
	"pdf":  {label: "PDF", mimes: []string{"application/pdf"}},
	"docx": {label: "DOCX", mimes: []string{mimeDocx}, zip: true},
	"doc":  {label: "DOC", mimes: []string{"application/msword"}},
	"odt":  {label: "ODT", mimes: []string{mimeOdt}, zip: true},
	"xlsx": {label: "XLSX", mimes: []string{mimeXlsx}, zip: true},
	"png":  {label: "PNG", mimes: []string{"image/png", "image/apng"}},
	"jpg":  {label: "JPG", mimes: []string{"image/jpeg"}},
	"jpeg": {label: "JPEG", mimes: []string{"image/jpeg"}},
	"gif":  {label: "GIF", mimes: []string{"image/gif"}},
	"heic": {label: "HEIC", mimes: []string{"image/heic", "image/heic-sequence", "image/heif", "image/heif-sequence"}},
	"mp4":  {label: "MP4", mimes: []string{"video/mp4", "video/x-m4v", "audio/mp4"}},
	"mp3":  {label: "MP3", mimes: []string{"audio/mpeg"}},
	"m4a":  {label: "M4A", mimes: []string{"audio/x-m4a", "audio/mp4"}},
	"wav":  {label: "WAV", mimes: []string{"audio/wav"}},
	"txt":  {label: "TXT", mimes: []string{"text/plain"}, text: true},
	"eml":  {label: "EML", mimes: []string{"message/rfc822"}, text: true},
	"msg":  {label: "MSG", mimes: []string{"application/vnd.ms-outlook"}},
	"zip":  {label: "ZIP", mimes: []string{mimeZip}, zip: true},
}

// matchFormat returns the first of names whose content types include
// detected (parameters ignored); noNUL says the whole file held no NUL byte.
func matchFormat(names []string, detected string, noNUL bool) (string, bool) {
	mt, _, err := mime.ParseMediaType(detected)
	if err != nil {
		mt = detected
	}
	for _, n := range names {
		f := formats[n]
		if slices.Contains(f.mimes, mt) && (!f.text || noNUL) {
			return n, true
		}
	}
	return "", false
}

// allowsZip reports whether any of names is a ZIP container.
func allowsZip(names []string) bool {
	for _, n := range names {
		if formats[n].zip {
			return true
		}
	}
	return false
}

// labels returns the display names of names.
func labels(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = formats[n].label
	}
	return out
}

// joinList joins items as a sentence: "PDF, DOCX en PNG".
func joinList(items []string, and string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}
