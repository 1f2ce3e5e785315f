package api

import (
	_ "embed"
	"net/http"
	"strconv"
)

// openAPI describes every route of the table in api.go, written by hand.
//
//go:embed openapi.json
var openAPI []byte

// getOpenAPI answers the API's OpenAPI document.
func (a *API) getOpenAPI(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(openAPI)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(openAPI)
	return err
}
