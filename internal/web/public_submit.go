package web

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	netmail "net/mail"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/reglement"
)

// publicRoutes are the pages anyone may use without an account: the
// public complaint form of each organisation.
func (a *app) publicRoutes() []route {
	return []route{
		{"GET /o/{organisation}/klacht", a.publicFormShow, public},
		{"POST /o/{organisation}/klacht", a.publicFormSubmit, public},
	}
}

// maxPublicText bounds the text fields of one posted form together.
const maxPublicText = 256 << 10

// publicFormShow shows the form of the organisation's regulation in force.
func (a *app) publicFormShow(w http.ResponseWriter, r *http.Request) error {
	orgID := r.PathValue("organisation")
	reg, err := a.publicRegulation(r.Context(), orgID)
	if err != nil {
		return err
	}
	docs, _ := a.svc.Documents()
	data := newPublicFormData(requestLang(r), orgID, reg, docs != nil, newForm())
	return a.renderPublic(w, r, http.StatusOK, viewPublicForm, data)
}

// publicFormSubmit takes in a complaint: the text fields and the evidence
// streamed from the multipart body into the encrypted store, then the case
// and a document for each file. Any error leaves nothing stored and shows
// the form again, filled in, with the error next to its field.
func (a *app) publicFormSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := requestLang(r)
	orgID := r.PathValue("organisation")
	reg, err := a.publicRegulation(ctx, orgID)
	if err != nil {
		return err
	}
	docs, checker := a.svc.Documents()
	uploads := docs != nil && reg.Intake.Evidence != nil
	f := newForm()
	again := func(status int) error {
		if f.Error == "" {
			f.Error = l.t("pub.error.summary")
		}
		return a.renderPublic(w, r, status, viewPublicForm, newPublicFormData(l, orgID, reg, docs != nil, f))
	}
	if !acceptsWeb(reg) {
		return a.renderPublic(w, r, http.StatusForbidden, viewPublicForm, newPublicFormData(l, orgID, reg, false, f))
	}
	if !a.pub.limiter.allow(clientAddress(r), a.now()) {
		a.log.Warn("web: public form rate limit", "org", orgID, "addr", clientAddress(r))
		f.Error = l.t("pub.error.rate")
		return again(http.StatusTooManyRequests)
	}

	var policy document.Policy
	if uploads {
		if policy, err = publicPolicy(reg); err != nil {
			return err
		}
	}
	// The whole request: every file at its limit, and the text fields.
	r.Body = http.MaxBytesReader(w, r.Body, int64(max(policy.MaxFiles, 1))*(policy.MaxFileSize+64<<10)+maxPublicText)
	var sub *document.Submission
	if uploads {
		sub = checker.NewSubmission(policy, docs)
	}
	committed := false
	defer func() {
		if sub != nil && !committed {
			if err := sub.Discard(); err != nil {
				a.log.Error("web: public form: discard files", "org", orgID, "err", err)
			}
		}
	}()

	status, err := a.readPublicForm(ctx, l, r, f, sub)
	if err != nil {
		return err
	}
	if status != 0 {
		return again(status)
	}
	if f.Get(pubFieldHoneypot) != "" {
		// A robot: it is told the complaint arrived, and nothing is kept.
		a.log.Warn("web: public form honeypot filled", "org", orgID, "addr", clientAddress(r))
		return a.renderPublic(w, r, http.StatusOK, viewPublicDone, publicDoneData{Org: reg.Organisation})
	}

	in := intakeFromForm(l, f, nil)
	in.Channel, in.RecordAsRemark, in.SettledOnSpot, in.Category = reglement.ChannelWeb, false, "", ""
	publicRequired(l, reg, f)
	for _, name := range []string{"complainant.email", "representative.email"} {
		if v := f.Get(name); v != "" && !validEmail(v) {
			f.Errors[name] = l.t("pub.error.email")
		}
	}
	switch in.Correspondence {
	case "email":
		if in.Complainant.Email == "" && (in.Representative == nil || in.Representative.Email == "") && f.Err("complainant.email") == "" {
			f.Errors["complainant.email"] = l.t("pub.error.corr_email")
		}
	case "post":
		if in.Complainant.Address == "" {
			f.Errors["complainant.address"] = l.t("pub.error.corr_post")
		}
	default:
		f.Errors["correspondence"] = l.t("pub.error.corr")
	}
	if f.Get(pubFieldPrivacy) == "" {
		f.Errors[pubFieldPrivacy] = l.t("pub.error.privacy")
	}
	if sub != nil && len(sub.Documents()) == 0 && f.Err(pubFieldEvidence) == "" &&
		publicEvidenceRequired(reg) {
		f.Errors[pubFieldEvidence] = l.t("pub.error.evidence")
	}
	if !f.Valid() {
		return again(http.StatusBadRequest)
	}

	// The actor names no one: the hash chain covers the actor as it is,
	// so a name there could never be erased (the intake has it, and
	// erasure redacts that); screens say "de klager".
	caller := complaint.Caller{Actor: complaint.Actor{Kind: "complainant"}}
	// The files are part of the complaint as received: recorded in the
	// events that open the case, in the same transaction.
	files := 0
	if sub != nil {
		for _, doc := range sub.Documents() {
			in.Documents = append(in.Documents, complaint.DocumentPayload{DocumentID: doc.ID, Name: doc.Name, Kind: "evidence",
				Note: "sent with the web form", MIME: doc.MIME, Size: doc.Size})
		}
		files = len(in.Documents)
	}
	v, created, err := a.svc.CreateCase(ctx, orgID, caller, in, "public:"+orgID+":"+f.Get(pubFieldKey))
	if err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			return err
		}
		var e *apperr.Error
		errors.As(err, &e)
		if field := intakeErrorField(e.Field); field != "" && knownIntakeField(field) {
			f.Errors[field] = caseErrorText(l, err)
		} else {
			f.Error = caseErrorText(l, err)
		}
		return again(statusOf(err))
	}
	// The blobs now belong to a committed case; a repeated submission
	// (same idempotency key) recorded the first one's files instead.
	committed = created
	a.log.Info("web: public complaint received", "org", orgID, "case", v.Number, "files", files, "created", created)
	done := publicDoneData{Org: reg.Organisation, Number: v.Number, Email: in.Correspondence == "email", Files: files}
	done.Deadlines = complainantTerms(l, v, a.svc.Today())
	if v.Case.Intake.TimeBarred {
		done.TimeBarred = l.t("pub.done.timebarred")
	}
	if created && in.Correspondence == "email" {
		a.confirmByMail(ctx, l, in.Complainant.Name, in.Complainant.Email, done)
	}
	return a.renderPublic(w, r, http.StatusOK, viewPublicDone, done)
}

// publicRegulation is the organisation's regulation in force; an unknown
// organisation, or one without a regulation, is not found.
func (a *app) publicRegulation(ctx context.Context, orgID string) (*reglement.Reglement, error) {
	reg, _, err := a.svc.Regulation(ctx, orgID, a.svc.Today())
	if err != nil && apperr.CodeOf(err) != apperr.Internal {
		return nil, apperr.New(apperr.NotFound, "no complaint form for %q", orgID)
	}
	return reg, err
}

// readPublicForm streams the multipart body: text fields into f, files
// into sub. It returns a status for the form to show again (with f's
// error set), or an error for an internal failure.
func (a *app) readPublicForm(ctx context.Context, l lang, r *http.Request, f *form, sub *document.Submission) (int, error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		f.Error = l.t("pub.error.malformed")
		return http.StatusBadRequest, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		f.Error = l.t("pub.error.malformed")
		return http.StatusBadRequest, nil
	}
	text := int64(maxPublicText)
	status := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return readError(l, f, err), nil
		}
		name := part.FormName()
		if name == pubFieldEvidence {
			if part.FileName() == "" || sub == nil || status != 0 {
				if _, err := io.Copy(io.Discard, part); err != nil {
					return readError(l, f, err), nil
				}
				continue
			}
			body := &partReader{r: part}
			if _, err := sub.Add(ctx, document.Upload{Name: part.FileName(), Body: body}); err != nil {
				if body.err != nil {
					// The request broke off or was too large: the
					// sender's doing, not an internal failure.
					return readError(l, f, body.err), nil
				}
				var ref *document.Refusal
				if !errors.As(err, &ref) {
					if apperr.CodeOf(err) == apperr.Internal && ctx.Err() == nil {
						return 0, err
					}
					return readError(l, f, err), nil
				}
				if ref.Reason == document.ReasonVirus {
					a.log.Warn("web: public form: virus refused", "virus", ref.Virus, "file", ref.File, "addr", clientAddress(r))
				}
				if ref.Cause != nil {
					a.log.Warn("web: public form: file refused", "reason", ref.Reason, "err", ref.Cause)
				}
				f.Errors[pubFieldEvidence] = ref.Message(string(l))
				status = http.StatusBadRequest
			}
			continue
		}
		if part.FileName() != "" {
			io.Copy(io.Discard, part)
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, text+1))
		if err != nil {
			return readError(l, f, err), nil
		}
		if text -= int64(len(b)); text < 0 {
			f.Error = l.t("pub.error.too_long")
			return http.StatusRequestEntityTooLarge, nil
		}
		f.Values.Add(name, string(b))
	}
	if status != 0 {
		f.Error = l.t("pub.error.summary")
	}
	return status, nil
}

// partReader reads a file of the posted form and keeps the error of the
// request body (a cut-off body, a malformed part, the size limit), so
// that it is told apart from a failure of the store.
type partReader struct {
	r   io.Reader
	err error
}

func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && err != io.EOF {
		p.err = err
	}
	return n, err
}

// readError is the form's message for a body that could not be read.
func readError(l lang, f *form, err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		f.Error = l.t("pub.error.too_large")
		return http.StatusRequestEntityTooLarge
	}
	f.Error = l.t("pub.error.malformed")
	return http.StatusBadRequest
}

// publicEvidenceRequired reports whether the regulation requires evidence.
func publicEvidenceRequired(r *reglement.Reglement) bool {
	for _, fr := range r.Intake.Fields {
		if fr.Field == "evidence" {
			return fr.Required
		}
	}
	return false
}

// validEmail reports whether s is one plain e-mail address.
func validEmail(s string) bool {
	a, err := netmail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@")+1:], ".")
}

// renderPublic writes a public page in the public layout: no staff
// navigation, whoever is signed in.
func (a *app) renderPublic(w http.ResponseWriter, r *http.Request, status int, v viewName, data any) error {
	l := requestLang(r)
	t := a.views.byLang[l][v]
	if t == nil {
		return errors.New("web: no view " + string(v))
	}
	p := &page{Lang: l, Path: r.URL.RequestURI(), Data: data}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "public_layout", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, buf.String())
	return nil
}
