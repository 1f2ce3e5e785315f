package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/reglement"
)

// failedJob is a job that failed for good, as a dashboard shows it: which
// work (a letter's e-mail, a reminder), about which case, and why.
type failedJob struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// CaseID is the case the job was about, empty for none.
	CaseID      string          `json:"case_id,omitempty"`
	Payload     json.RawMessage `json:"payload"`
	Attempts    int             `json:"attempts"`
	MaxAttempts int             `json:"max_attempts"`
	LastError   string          `json:"last_error"`
	CreatedAt   time.Time       `json:"created_at"`
	FailedAt    *time.Time      `json:"failed_at,omitempty"`
}

// failedJobList is the answer of GET /jobs/failed.
type failedJobList struct {
	Jobs []failedJob `json:"jobs"`
}

// jobWatchers are the roles that see the organisation's failed jobs.
var jobWatchers = []reglement.Role{reglement.RoleHandler, reglement.RoleBoard, reglement.RoleAdmin}

// failedJobs answers the organisation's jobs that failed for good, the
// latest first, for dashboards: to handlers, the board and administrators.
func (a *API) failedJobs(w http.ResponseWriter, r *http.Request, who *principal) error {
	if !hasAnyRole(who, jobWatchers...) {
		return apperr.New(apperr.Forbidden, "only a handler, the board or an administrator sees the failed jobs").WithReason("role")
	}
	jobs, err := a.svc.Store().FailedJobs(r.Context(), who.orgID)
	if err != nil {
		return err
	}
	out := failedJobList{Jobs: make([]failedJob, 0, len(jobs))}
	for _, j := range jobs {
		f := failedJob{
			ID: j.ID, Kind: j.Kind, CaseID: j.CaseID, Payload: j.Payload, Attempts: j.Attempts,
			MaxAttempts: j.MaxAttempts, LastError: j.LastError, CreatedAt: j.CreatedAt,
		}
		if len(f.Payload) == 0 || !json.Valid(f.Payload) {
			f.Payload = json.RawMessage(`{}`)
		}
		if !j.DoneAt.IsZero() {
			at := j.DoneAt
			f.FailedAt = &at
		}
		out.Jobs = append(out.Jobs, f)
	}
	return writeJSON(w, http.StatusOK, out)
}
