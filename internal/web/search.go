package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/store"
)

var viewSearch = view("search")

// searchLimit is the number of cases one search shows.
const searchLimit = 50

// caseNumber matches a case number as people type it: 2026-0003, or
// 2026-3 for short.
var caseNumber = regexp.MustCompile(`^(\d{4})-(\d{1,4})$`)

// searchData is the search page.
type searchData struct {
	Query string
	Rows  []searchRow
	// More reports that there are more results than Limit.
	More  bool
	Limit int
	// Searched reports that a search was made (a query was given).
	Searched bool
	// NoNumber is set when the query is a case number that does not exist.
	NoNumber string
}

// searchRow is one case found.
type searchRow struct {
	Number, Complainant, State, Received, Handler string
}

// search finds cases by number, names and text: an exact case number
// opens the case; other text is looked for in the names and facts of
// every case, open or closed, ignoring case and diacritics ("client"
// finds "cliënt", store.FoldText).
func (a *app) search(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	l := requestLang(r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	data := searchData{Query: q, Searched: q != "", Limit: searchLimit}
	if m := caseNumber.FindStringSubmatch(q); m != nil {
		seq, _ := strconv.Atoi(m[2])
		number := fmt.Sprintf("%s-%04d", m[1], seq)
		_, _, err := a.st.GetCase(ctx, id.OrgID(), number)
		switch {
		case err == nil:
			a.redirect(w, r, "/zaken/"+url.PathEscape(number))
			return nil
		case apperr.CodeOf(err) != apperr.NotFound:
			return err
		}
		data.NoNumber = l.t("search.no_number", number)
	}
	if q != "" {
		recs, err := a.svc.Cases(ctx, id.OrgID(), store.CaseFilter{Text: q, Limit: searchLimit + 1})
		if err != nil {
			return err
		}
		if len(recs) > searchLimit {
			recs, data.More = recs[:searchLimit], true
		}
		for _, rec := range recs {
			data.Rows = append(data.Rows, searchRow{Number: rec.Number, Complainant: rec.ComplainantName, State: rec.State,
				Received: formatDate(rec.ReceivedOn), Handler: handlerName(rec)})
		}
	}
	return a.render(w, r, http.StatusOK, viewSearch, "search", data)
}

// handlerName is the name of the case's handler, from the summary the
// service keeps in the case's projection; "" when none is assigned.
func handlerName(rec store.CaseRecord) string {
	var sum struct {
		HandlerName string `json:"handler_name"`
	}
	_ = json.Unmarshal(rec.Summary, &sum) // a summary without a name shows none
	return sum.HandlerName
}

func init() {
	addMessages(map[string]msg{
		"search.title":        {"Zoeken", "Search"},
		"search.intro":        {"Zoek op dossiernummer (zoals 2026-0012), op naam van klager, cliënt of medewerker, of op een woord uit de klacht. Hoofdletters en accenten tellen niet mee.", "Search by case number (such as 2026-0012), by the name of a complainant, client or employee, or by a word of the complaint. Capitals and accents do not matter."},
		"search.label":        {"Zoekterm", "Search term"},
		"search.submit":       {"Zoeken", "Search"},
		"search.caption":      {"Zaken die passen bij ‘%s’", "Cases matching ‘%s’"},
		"search.none":         {"Geen zaken gevonden bij ‘%s’.", "No cases found for ‘%s’."},
		"search.more":         {"Er zijn meer dan %d zaken gevonden; alleen de eerste %d staan hier. Maak de zoekterm specifieker.", "More than %d cases were found; only the first %d are shown. Make the search more specific."},
		"search.no_number":    {"Er is geen zaak met nummer %s; hieronder staan zaken waarin de tekst voorkomt.", "There is no case numbered %s; below are cases that contain the text."},
		"search.col.received": {"Ontvangen", "Received"},
	})
}
