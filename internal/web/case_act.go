package web

import (
	"net/http"
	"net/url"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/complaint"
)

// caseAct takes an action on a case: it reads the action's form into the
// action's JSON input (actionSpecs), and service.Act checks and records
// it exactly as for the API. After it, the case file again with a
// message (post/redirect/get); when refused, the case file with the form
// open, the person's input kept and the message next to the field it is
// about.
func (a *app) caseAct(w http.ResponseWriter, r *http.Request) error {
	action := complaint.Action(r.PathValue("action"))
	spec, ok := actionSpecOf(action)
	if !ok {
		return apperr.New(apperr.NotFound, "unknown action %q", action).WithReason("page_not_found")
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	number := r.PathValue("number")
	env, err := a.caseEnv(ctx, id, requestLang(r), number)
	if err != nil {
		return err
	}
	if limitedFor(env, id) {
		// The core refuses the accused employee every step of handling;
		// the screens refuse them the rest too (see caseData).
		return apperr.New(apperr.Forbidden, "an accused employee takes no steps in the case").WithReason("case_accused")
	}
	status := http.StatusBadRequest
	if input := spec.input(env, f); input != nil {
		_, err := a.svc.Act(ctx, id.OrgID(), number, id.Caller(), complaint.Command{Action: action, Input: input})
		if err == nil {
			a.log.Info("web: case action", "org", id.OrgID(), "case", number, "action", action, "by", id.User.ID)
			a.flash(w, "act."+string(action)+".done")
			a.redirect(w, r, "/zaken/"+url.PathEscape(number))
			return nil
		}
		if !spec.fail(env, f, err) {
			return err
		}
		status = statusOf(err)
		// The case as it is now: the refusal changed nothing, but someone
		// else may have acted meanwhile.
		if env, err = a.caseEnv(ctx, id, env.l, number); err != nil {
			return err
		}
	}
	data := newCaseData(env, false, action, f)
	return a.render(w, r, status, viewCase, "", data)
}
