package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage/storagetest"
)

func TestSheltersDirectory(t *testing.T) {
	t.Parallel()
	paths, err := seal.GenerateKeys(filepath.Join(t.TempDir(), "keys"), seal.Curve25519, "t", "okit@ncsszi.hu", []byte("shelters passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	url := storagetest.URL(t)
	vars := map[string]string{"OKIT_DATABASE_URL": url, "OKIT_PUBLIC_KEY_FILE": paths.Public, "OKIT_INDEX_KEY_FILE": paths.Index}
	if _, _, code := run(t, vars, "shelters", "add", "Tisza", "--region", "Pest", "--phone", "06 1 555 0202", "--address", "Titkos utca 7"); code != 2 {
		t.Errorf("shelters add --address: exit %d, want 2 (usage): a crisis home's address comes on stdin", code)
	}
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"migrate"}},
		{"Titkos utca 7, Szeged\nkapukód 1234\n", []string{"shelters", "add", "Tisza", "--region", "Csongrád-Csanád", "--phone", "+36 62 555 0101", "--places", "2", "--sealed"}},
		{"", []string{"shelters", "add", "Duna", "--region", "Pest", "--phone", "06 1 555 0202"}},
		{"", []string{"shelters", "places", "Duna", "3"}},
		{"", []string{"shelters", "deactivate", "Tisza"}},
	} {
		if out, errs, code := runIn(t, vars, c.stdin, c.args...); code != 0 {
			t.Fatalf("okit %v: %d\n%s%s", c.args, code, out, errs)
		}
	}
	out, _, _ := run(t, vars, "shelters", "list", "--json")
	var list []struct {
		Name       string `json:"name"`
		FreePlaces int    `json:"free_places"`
		Active     bool   `json:"active"`
		HasAddress bool   `json:"address_on_file"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 2 {
		t.Fatalf("list: %v\n%s", err, out)
	}
	if list[0].Name != "Duna" || list[0].FreePlaces != 3 || !list[0].Active || list[1].Active || !list[1].HasAddress {
		t.Errorf("directory = %+v; want Duna (3 free, active) before the inactive Tisza with an address on file", list)
	}
	var dump []byte
	st := storagetest.Open(t, url, false, time.Now)
	if err := storagetest.Pool(st).QueryRow(context.Background(), `SELECT string_agg(address_sealed || notes_sealed, '\x00') FROM shelters`).Scan(&dump); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(dump, []byte("Titkos utca")) || bytes.Contains(dump, []byte("kapukód")) || len(dump) < 200 {
		t.Errorf("the address and notes are not sealed (%d bytes)", len(dump))
	}
	for args, want := range map[string]string{
		"shelters add Bad --region Pest --phone call-me":     "is not a phone number",
		"shelters add Duna --region Pest --phone 0612345678": "already exists",
		"shelters places Nowhere 1":                          "not found",
	} {
		if _, errs, code := run(t, vars, strings.Fields(args)...); code == 0 || !strings.Contains(errs, want) {
			t.Errorf("okit %s: code %d, %q; want an error saying %q", args, code, errs, want)
		}
	}
}
