package secondopinion

import (
	_ "embed"
	"encoding/json"
)

// The starting model: trained on the project's own fictional corpus with
// the built-in rules (internal/genstart), embedded, and used only once a
// supervisor activates it. Its buckets are hashed with the public corpus
// key, since the corpus is public too.
//
//go:generate go run ./internal/genstart -corpus ../triage/testdata/corpus -out .
var (
	//go:embed starting.model
	startingModel []byte
	//go:embed starting.json
	startingFigures []byte
)

// Starting gives the starting model's stored form and its figures.
func Starting() (model []byte, figures json.RawMessage) {
	return startingModel, startingFigures
}
