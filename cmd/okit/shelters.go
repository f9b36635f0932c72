package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ncsszi/okit/storage"
)

func runSheltersAdd(ctx context.Context, a *app, args []string) error {
	fs := a.flags("shelters add", "NAME --region REGION --phone PHONE [--places N] [--sealed] [< address and notes]")
	region := fs.String("region", "", "county or region (required)")
	phone := fs.String("phone", "", "the home's intake phone, given to writers (required)")
	places := fs.Int("places", 0, "free places now")
	details := fs.Bool("sealed", false, "read the home's address (the first line) and notes for operators (the lines after) from stdin: stored sealed, never mailed")
	if err := fs.Parse(reorder(args)); err != nil {
		return errUsage
	}
	name := strings.TrimSpace(fs.Arg(0))
	var problems []string
	if fs.NArg() != 1 || name == "" {
		problems = append(problems, "give the home's working name first: okit shelters add NAME ...")
	}
	if strings.TrimSpace(*region) == "" {
		problems = append(problems, "--region is required")
	}
	if !validPhone(*phone) {
		problems = append(problems, fmt.Sprintf("--phone %q is not a phone number (digits, spaces, +, -, /, parentheses)", *phone))
	}
	if *places < 0 {
		problems = append(problems, "--places cannot be negative")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	// A secret home's address comes on stdin, never in the arguments,
	// which other users of the host see (ps) and the shell keeps.
	var address, notes string
	if *details {
		text, err := readWords(a.stdin, "the address", "okit shelters add NAME ... --sealed < address-and-notes.txt")
		if err != nil {
			return err
		}
		address, notes, _ = strings.Cut(text, "\n")
		address, notes = strings.TrimSpace(address), strings.TrimSpace(notes)
	}
	e := &env{get: a.getenv}
	files := e.keyFiles(sealKeys)
	if err := e.err(); err != nil {
		return err
	}
	k, err := files.load(a.log)
	if err != nil {
		return err
	}
	h := storage.Shelter{Name: name, Region: *region, IntakePhone: strings.TrimSpace(*phone), FreePlaces: *places, UpdatedBy: actor()}
	for _, f := range []struct {
		plain string
		dst   *[]byte
	}{{address, &h.AddressSealed}, {notes, &h.NotesSealed}} {
		if f.plain == "" {
			continue
		}
		sealed, err := k.sealer.Seal([]byte(f.plain))
		if err != nil {
			return err
		}
		*f.dst = sealed
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.AddShelter(ctx, h); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "added crisis home %s (%s), %d free places\n", h.Name, h.Region, h.FreePlaces)
	return nil
}

func runSheltersList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("shelters list", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	hs, err := st.Shelters(ctx)
	if err != nil {
		return err
	}
	type shelterOut struct {
		Name       string    `json:"name"`
		Region     string    `json:"region"`
		Phone      string    `json:"intake_phone"`
		FreePlaces int       `json:"free_places"`
		Active     bool      `json:"active"`
		HasAddress bool      `json:"address_on_file"`
		UpdatedAt  time.Time `json:"updated_at"`
		UpdatedBy  string    `json:"updated_by"`
	}
	outs := make([]shelterOut, len(hs))
	for i, h := range hs {
		outs[i] = shelterOut{h.Name, h.Region, h.IntakePhone, h.FreePlaces, h.Active, h.AddressSealed != nil, h.UpdatedAt, h.UpdatedBy}
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(outs)
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tREGION\tINTAKE PHONE\tFREE\tSTATE\tUPDATED")
	for _, h := range outs {
		state := "active"
		if !h.Active {
			state = "inactive"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s by %s\n", h.Name, h.Region, h.Phone, h.FreePlaces, state,
			h.UpdatedAt.Local().Format(time.DateTime), h.UpdatedBy)
	}
	return tw.Flush()
}

func runSheltersPlaces(ctx context.Context, a *app, args []string) error {
	fs := a.flags("shelters places", "NAME N")
	if err := parse(fs, nil); err != nil {
		return err
	}
	n, err := strconv.Atoi(argAt(args, 1))
	if len(args) != 2 || err != nil || n < 0 {
		fs.Usage()
		return errUsage
	}
	return shelterChange(ctx, a, args[0], fmt.Sprintf("%s has %d free places\n", args[0], n),
		func(st *storage.Store) error { return st.SetShelterPlaces(ctx, args[0], n, actor()) })
}

func runSheltersActive(active bool) func(context.Context, *app, []string) error {
	return func(ctx context.Context, a *app, args []string) error {
		verb := map[bool]string{true: "activate", false: "deactivate"}[active]
		fs := a.flags("shelters "+verb, "NAME")
		if err := parse(fs, nil); err != nil {
			return err
		}
		if len(args) != 1 {
			fs.Usage()
			return errUsage
		}
		return shelterChange(ctx, a, args[0], fmt.Sprintf("%s: %sd\n", args[0], verb),
			func(st *storage.Store) error { return st.SetShelterActive(ctx, args[0], active, actor()) })
	}
}

func shelterChange(ctx context.Context, a *app, name, done string, change func(*storage.Store) error) error {
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := change(st); err != nil {
		return err
	}
	fmt.Fprint(a.stdout, done)
	return nil
}

func argAt(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

func validPhone(p string) bool {
	p = strings.TrimSpace(p)
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-/()", r):
		default:
			return false
		}
	}
	return digits >= 6
}
