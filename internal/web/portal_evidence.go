package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
)

// portalEvidence takes files from the complainant: streamed through the
// same checks as the public form (type by content, size, archives, virus
// scan) into the encrypted store, then one add_document event per file,
// all in one transaction. Any refusal leaves nothing behind and shows the
// page again with the message at the file field.
func (a *app) portalEvidence(w http.ResponseWriter, r *http.Request) error {
	portalHeaders(w)
	ctx := r.Context()
	l := requestLang(r)
	token := r.PathValue("token")
	pv, err := a.svc.PortalCase(ctx, token)
	if err != nil {
		return a.portalDeadLink(w, r, err)
	}
	docs, checker := a.svc.Documents()
	if docs == nil {
		return apperr.New(apperr.Conflict, "this server keeps no files; send your evidence by post or e-mail").WithReason("no_documents")
	}
	policy, err := publicPolicy(pv.Case.Policy)
	if err != nil {
		return err
	}
	f := newForm()
	again := func(status int) error {
		if f.Error == "" {
			f.Error = l.t("portal.error.summary")
		}
		return a.renderPublic(w, r, status, viewPortal, newPortalData(l, token, pv, a.svc.Today(), f, "bewijs"))
	}
	r.Body = http.MaxBytesReader(w, r.Body, int64(max(policy.MaxFiles, 1))*(policy.MaxFileSize+64<<10)+maxFormBytes)
	sub := checker.NewSubmission(policy, docs)
	committed := false
	defer func() {
		if !committed {
			if err := sub.Discard(); err != nil {
				a.log.Error("web: portal: discard files", "org", pv.Link.OrgID, "err", err)
			}
		}
	}()
	status, err := a.readPublicForm(ctx, l, r, f, sub)
	if err != nil {
		return err
	}
	if status != 0 {
		f.Error = ""
		return again(status)
	}
	files := sub.Documents()
	if len(files) == 0 {
		f.Errors[pubFieldEvidence] = l.t("portal.error.nofile")
		return again(http.StatusBadRequest)
	}
	var cmds []complaint.Command
	for _, doc := range files {
		in := complaint.DocumentPayload{DocumentID: doc.ID, Name: doc.Name, Kind: "evidence",
			Note: f.Get("toelichting"), MIME: doc.MIME, Size: doc.Size}
		cmds = append(cmds, complaint.Command{Action: complaint.ActAddDocument, Input: mustJSON(in)})
	}
	if _, err := a.svc.PortalAct(ctx, token, cmds...); err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			return err
		}
		f.Error = portalErrorText(l, err)
		return again(statusOf(err))
	}
	committed = true
	a.log.Info("web: portal evidence", "org", pv.Link.OrgID, "case", pv.Case.Number, "files", len(files))
	a.redirect(w, r, portalPath(token)+"?gedaan=bewijs")
	return nil
}

// evidencePolicyText is the hint of the portal's file field.
func evidencePolicyText(l lang, p document.Policy) string {
	return l.t("pub.evidence.hint", strings.ToUpper(strings.Join(p.Formats, ", ")), p.MaxFileSize>>20, p.MaxFiles)
}

// mustJSON marshals a value the code made (it cannot fail).
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
