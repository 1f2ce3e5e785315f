package mailin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/gegrond/gegrond/internal/apperr"
)

// Parse reads a raw e-mail message (RFC 5322 with MIME) into a Message.
// It is lenient: whatever the shape of the message, it returns what a
// person can read of it and notes the oddities in Message.Problems. It
// refuses a message only when a limit is exceeded (or the message is
// empty, or raw fails): the error is an *apperr.Error whose Reason is one
// of Reasons (see ReasonOf).
func Parse(raw io.Reader, limits Limits) (*Message, error) {
	limits = limits.withDefaults()
	b, err := io.ReadAll(io.LimitReader(raw, limits.MaxMessageBytes+1))
	if err != nil {
		return nil, apperr.New(apperr.Internal, "reading the message failed: %v", err).WithReason(ReasonRead)
	}
	return ParseBytes(b, limits)
}

// ParseBytes is Parse for a message already in memory; Message.Raw is
// raw itself, not a copy.
func ParseBytes(raw []byte, limits Limits) (*Message, error) {
	limits = limits.withDefaults()
	if int64(len(raw)) > limits.MaxMessageBytes {
		return nil, limitError(ReasonTooLarge, "the message is larger than %d bytes", limits.MaxMessageBytes)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, limitError(ReasonEmpty, "the message is empty")
	}
	h, body := readHeader(raw)
	p := &parser{limits: limits}
	var texts bodyText
	if err := p.walk(h, body, 0, "", &texts); err != nil {
		return nil, err
	}
	m := &Message{
		InReplyTo:   msgIDs(h.get("In-Reply-To")),
		References:  msgIDs(strings.Join(h.values("References"), " ")),
		From:        parseAddresses(h.get("From")),
		ReplyTo:     parseAddresses(strings.Join(h.values("Reply-To"), ", ")),
		To:          parseAddresses(strings.Join(h.values("To"), ", ")),
		Cc:          parseAddresses(strings.Join(h.values("Cc"), ", ")),
		Subject:     decodeText(h.get("Subject")),
		Attachments: p.attachments,
		Header:      h.mime(),
		Raw:         raw,
	}
	if ids := msgIDs(h.get("Message-Id")); len(ids) > 0 {
		m.MessageID = ids[0]
	} else {
		m.MessageID, m.SyntheticID = syntheticID(h, body), true
	}
	if d := h.get("Date"); d != "" {
		if t, ok := parseDate(d); ok {
			m.Date = t
		} else {
			p.problem(fmt.Sprintf("unreadable Date %q", truncate(d, 80)))
		}
	}
	m.Text = strings.Join(texts.plain, "\n")
	htmlBody := strings.Join(texts.html, "\n")
	if strings.TrimSpace(m.Text) == "" && htmlBody != "" {
		m.Text = HTMLToText(htmlBody)
	}
	m.Text = strings.TrimRight(strings.TrimLeft(m.Text, "\n"), " \t\n")
	if htmlBody != "" {
		m.HTML = SanitizeHTML(htmlBody, nil)
	}
	m.Problems = p.problems
	return m, nil
}

// values returns every value of key.
func (h header) values(key string) []string {
	var vs []string
	for _, f := range h {
		if f.key == key {
			vs = append(vs, f.value)
		}
	}
	return vs
}

// parser walks the MIME tree of one message.
type parser struct {
	limits      Limits
	parts       int
	attachments []Attachment
	problems    []string
}

// bodyText collects the text parts that make up the body.
type bodyText struct {
	plain, html []string
}

func (p *parser) problem(s string) {
	for _, q := range p.problems {
		if q == s {
			return
		}
	}
	p.problems = append(p.problems, s)
}

// walk reads one MIME entity: a container's parts, a body text, or an
// attachment. parent is the media type of the enclosing multipart.
func (p *parser) walk(h header, body []byte, depth int, parent string, out *bodyText) error {
	p.parts++
	if p.parts > p.limits.MaxParts {
		return limitError(ReasonTooManyParts, "the message has more than %d parts", p.limits.MaxParts)
	}
	if depth > p.limits.MaxDepth {
		return limitError(ReasonTooDeep, "the message nests parts deeper than %d levels", p.limits.MaxDepth)
	}
	ctype, ctParams := parseMediaType(h.get("Content-Type"))
	switch {
	case ctype == "text":
		ctype = "text/plain"
	case !strings.Contains(ctype, "/"):
		ctype = "text/plain"
		if parent == "multipart/digest" {
			ctype = "message/rfc822"
		}
	}
	if strings.HasPrefix(ctype, "multipart/") {
		return p.multipart(ctype, ctParams, body, depth, out)
	}
	data, ok := decodeTransfer(h.get("Content-Transfer-Encoding"), body)
	if !ok {
		p.problem(fmt.Sprintf("unknown transfer encoding %q; part kept as sent", truncate(h.get("Content-Transfer-Encoding"), 40)))
	}
	disp, dParams := parseMediaType(h.get("Content-Disposition"))
	filename := dParams["filename"]
	if filename == "" {
		filename = ctParams["name"]
	}
	filename = cleanFilename(decodeText(filename))
	if (ctype == "text/plain" || ctype == "text/html") && disp != "attachment" && filename == "" {
		s := p.text(data, ctParams["charset"], ctype)
		if ctype == "text/html" {
			out.html = append(out.html, s)
		} else {
			if strings.EqualFold(ctParams["format"], "flowed") {
				s = unflow(s, strings.EqualFold(ctParams["delsp"], "yes"))
			}
			out.plain = append(out.plain, s)
		}
		return nil
	}
	if int64(len(data)) > p.limits.MaxAttachmentBytes {
		return limitError(ReasonAttachmentTooLarge, "attachment %q is larger than %d bytes", truncate(filename, 80), p.limits.MaxAttachmentBytes)
	}
	a := Attachment{
		Filename:    filename,
		ContentType: ctype,
		Size:        int64(len(data)),
		Content:     data,
		ContentID:   strings.TrimSpace(strings.Trim(strings.TrimSpace(h.get("Content-Id")), "<>")),
	}
	a.Inline = disp == "inline" || (disp == "" && a.ContentID != "")
	switch ctype {
	case "message/rfc822", "message/global":
		nh, _ := readHeader(data)
		a.Nested, a.NestedSubject = true, decodeText(nh.get("Subject"))
		a.Inline = false
	case "application/ms-tnef", "application/vnd.ms-tnef":
		a.TNEF = true
	}
	if strings.EqualFold(a.Filename, "winmail.dat") || bytes.HasPrefix(data, tnefSignature) {
		a.TNEF = true
	}
	if a.Filename == "" {
		a.Filename = fmt.Sprintf("bijlage-%d%s", len(p.attachments)+1, extensionFor(ctype))
		if a.Nested {
			a.Filename = fmt.Sprintf("bericht-%d.eml", len(p.attachments)+1)
		}
	}
	p.attachments = append(p.attachments, a)
	return nil
}

// tnefSignature opens every TNEF stream (winmail.dat).
var tnefSignature = []byte{0x78, 0x9f, 0x3e, 0x22}

// multipart reads the parts of a multipart entity. Of the parts of
// multipart/alternative only the last plain and the last HTML version
// count (RFC 2046 5.1.4: the last is the richest); attachments found in
// any alternative are kept.
func (p *parser) multipart(ctype string, params map[string]string, body []byte, depth int, out *bodyText) error {
	boundary := params["boundary"]
	if boundary == "" {
		boundary = guessBoundary(body)
		if boundary == "" {
			p.problem("a multipart part has no boundary; read as text")
			s, _ := decodeCharset("", body)
			out.plain = append(out.plain, s)
			return nil
		}
		p.problem("a multipart part has no boundary parameter; guessed from its content")
	}
	parts, closed := splitMultipart(body, boundary)
	if len(parts) == 0 {
		p.problem("a multipart part has no parts; read as text")
		s, _ := decodeCharset("", body)
		out.plain = append(out.plain, s)
		return nil
	}
	if !closed {
		p.problem("a multipart part is not closed; the message may be cut off")
	}
	if ctype != "multipart/alternative" {
		for _, part := range parts {
			ph, pb := readHeader(part)
			if err := p.walk(ph, pb, depth+1, ctype, out); err != nil {
				return err
			}
		}
		return nil
	}
	var best bodyText
	for _, part := range parts {
		var alt bodyText
		ph, pb := readHeader(part)
		if err := p.walk(ph, pb, depth+1, ctype, &alt); err != nil {
			return err
		}
		if len(alt.plain) > 0 {
			best.plain = alt.plain
		}
		if len(alt.html) > 0 {
			best.html = alt.html
		}
	}
	out.plain = append(out.plain, best.plain...)
	out.html = append(out.html, best.html...)
	return nil
}

// text decodes a body text part to UTF-8 with its line ends as "\n".
// An HTML part without a charset parameter may name one in a <meta>.
func (p *parser) text(data []byte, label, ctype string) string {
	if label == "" && ctype == "text/html" && !utf8.Valid(data) {
		if _, name, _ := charset.DetermineEncoding(data, "text/html"); name != "" {
			label = name
		}
	}
	s, ok := decodeCharset(label, data)
	if !ok {
		p.problem(charsetProblem(label))
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// splitMultipart cuts a multipart body into its parts at the lines
// "--boundary" (RFC 2046 5.1.1), ignoring preamble and epilogue. A body
// whose closing "--boundary--" is missing ends its last part at the end;
// closed reports whether the closing line was there.
func splitMultipart(body []byte, boundary string) (parts [][]byte, closed bool) {
	delim := []byte("--" + boundary)
	start := -1 // where the current part's content begins
	for i := 0; i < len(body); {
		k := bytes.Index(body[i:], delim)
		if k < 0 {
			break
		}
		at := i + k
		if at > 0 && body[at-1] != '\n' {
			i = at + len(delim)
			continue
		}
		line, next := nextLine(body, at)
		rest := line[len(delim):]
		closing := bytes.HasPrefix(rest, []byte("--"))
		if closing {
			rest = rest[2:]
		}
		if len(bytes.TrimRight(rest, " \t")) != 0 {
			i = at + len(delim)
			continue
		}
		if start >= 0 {
			parts = append(parts, trimLineEnd(body[start:at]))
		}
		if closing {
			return parts, true
		}
		start, i = next, next
	}
	if start >= 0 && start <= len(body) {
		parts = append(parts, body[start:])
	}
	return parts, false
}

// trimLineEnd drops the line end that belongs to the delimiter after a
// part.
func trimLineEnd(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// guessBoundary returns the boundary of a multipart body that does not
// declare it: the first line that looks like a delimiter.
func guessBoundary(body []byte) string {
	for i := 0; i < len(body); {
		line, next := nextLine(body, i)
		if len(line) > 2 && len(line) <= 72 && bytes.HasPrefix(line, []byte("--")) && !bytes.ContainsAny(line, " \t") {
			return string(line[2:])
		}
		i = next
	}
	return ""
}

// unflow joins the soft line breaks of format=flowed text (RFC 3676),
// so that paragraphs read as paragraphs.
func unflow(s string, delsp bool) string {
	var out strings.Builder
	var para strings.Builder
	depth, open := 0, false
	flush := func() {
		if !open {
			return
		}
		if depth > 0 {
			out.WriteString(strings.Repeat(">", depth) + " ")
		}
		out.WriteString(para.String())
		out.WriteString("\n")
		para.Reset()
		open = false
	}
	for line := range strings.SplitSeq(s, "\n") {
		d := 0
		for d < len(line) && line[d] == '>' {
			d++
		}
		content := strings.TrimPrefix(line[d:], " ")
		if open && d != depth {
			flush()
		}
		depth = d
		flowed := strings.HasSuffix(content, " ") && content != "-- "
		if flowed && delsp {
			content = content[:len(content)-1]
		}
		para.WriteString(content)
		open = true
		if !flowed {
			flush()
		}
	}
	flush()
	return strings.TrimSuffix(out.String(), "\n")
}

// traceFields are added on the way by mail servers, so that two copies of
// one message differ in them; the synthetic Message-ID ignores them.
var traceFields = map[string]bool{
	"Received": true, "Return-Path": true, "Delivered-To": true, "X-Original-To": true,
	"X-Received": true, "Received-Spf": true, "Authentication-Results": true,
	"Arc-Seal": true, "Arc-Message-Signature": true, "Arc-Authentication-Results": true,
	"X-Envelope-From": true, "X-Envelope-To": true,
}

// syntheticID names a message without a Message-ID by a hash of its
// header (without trace fields) and its body, line ends normalised, so
// that the same message fetched again, or relayed again with other
// Received fields, gets the same ID.
func syntheticID(h header, body []byte) string {
	sum := sha256.New()
	for _, f := range h {
		if traceFields[f.key] || strings.HasPrefix(f.key, "X-Spam-") || strings.HasPrefix(f.key, "X-Virus-") {
			continue
		}
		fmt.Fprintf(sum, "%s:%s\n", f.key, f.value)
	}
	sum.Write([]byte("\n"))
	sum.Write(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")))
	return "synthetic." + hex.EncodeToString(sum.Sum(nil)[:16]) + "@gegrond.invalid"
}

// cleanFilename makes a file name safe to store and show: no directory
// part, no control characters, at most 200 bytes (extension kept).
func cleanFilename(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base("/" + name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "/" || name == "." || name == ".." {
		return ""
	}
	if len(name) > 200 {
		ext := path.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		name = strings.ToValidUTF8(name[:200-len(ext)], "") + ext
	}
	return name
}

// extensionFor gives an unnamed attachment an extension by its declared
// type, from a fixed table (the system's mime.types differs per machine).
func extensionFor(ctype string) string {
	switch ctype {
	case "application/pdf":
		return ".pdf"
	case "image/png":
		return ".png"
	case "image/jpeg", "image/jpg", "image/pjpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "text/plain":
		return ".txt"
	case "text/html":
		return ".html"
	case "text/calendar":
		return ".ics"
	case "application/zip":
		return ".zip"
	case "application/ms-tnef", "application/vnd.ms-tnef":
		return ".dat"
	}
	return ".bin"
}

// truncate shortens s for a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
