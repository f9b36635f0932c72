// Command genstart trains the starting model on the project's own corpus
// (triage/testdata/corpus, the parts corpus.Parts names) with the built-in rules and
// writes it beside package secondopinion: starting.model (the stored
// form) and starting.json (the figures of its cross-validation). Run by
// go generate ./secondopinion after the corpus or the rules change.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/secondopinion/internal/corpus"
	"github.com/ncsszi/okit/triage"
)

func main() {
	dir := flag.String("corpus", "../triage/testdata/corpus", "the labelled corpus")
	out := flag.String("out", ".", "where to write starting.model and starting.json")
	flag.Parse()
	r := triage.Default()
	var exs []secondopinion.Example
	for _, p := range corpus.Parts {
		ms, err := corpus.Read(filepath.Join(*dir, p))
		if err != nil {
			log.Fatal(err)
		}
		for _, m := range ms {
			exs = append(exs, secondopinion.Read(r, secondopinion.Key{}, secondopinion.KeyingCorpus, m.In, m.Label))
		}
	}
	m, fig := secondopinion.Train(secondopinion.KeyingCorpus, exs)
	b, err := m.MarshalBinary()
	if err != nil {
		log.Fatal(err)
	}
	j, err := json.MarshalIndent(fig, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "starting.model"), b, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "starting.json"), append(j, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("starting model: %d bytes\n%s", len(b), fig)
}
