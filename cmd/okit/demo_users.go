package main

import (
	"context"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
)

type demoUser struct {
	storage.User
	password string
}

// demoUsers are the demo's people. Their passwords are printed: this is
// sample data on a loopback address, for trying the console.
var demoUsers = []demoUser{
	{storage.User{Username: "anna", Role: account.Operator, Languages: []string{"hu", "en"}, LoadLimit: 10}, "anna-demo-jelszo"},
	{storage.User{Username: "bela", Role: account.Operator, Languages: []string{"hu"}, Skills: []string{"trafficking", "child_abuse"}, LoadLimit: 10}, "bela-demo-jelszo"},
	{storage.User{Username: "vera", Role: account.Supervisor, Languages: []string{"hu", "en"}, LoadLimit: 5}, "vera-demo-jelszo"},
	{storage.User{Username: "adam", Role: account.Admin, Languages: []string{"hu"}, LoadLimit: 1}, "adam-demo-jelszo"},
}

// demoTOTPSecret is the second factor of every demo user: a second factor
// is asked of every role (OKIT_TOTP_OPERATORS).
const demoTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// seedDemo adds the demo's people and crisis homes to its new database.
func seedDemo(ctx context.Context, st *storage.Store, sealer *seal.Sealer, binder *seal.Binder) error {
	// Two operators on shift, so that cases are assigned as they arrive, a
	// supervisor and an administrator; each with a password and a second
	// factor whose code the demo's login page shows.
	for _, u := range demoUsers {
		if _, err := st.AddUser(ctx, u.User, "demo"); err != nil {
			return err
		}
		if err := st.SetPassword(ctx, u.Username, account.HashPassword(u.password), binder, nil, "demo"); err != nil {
			return err
		}
		if u.Role == account.Operator {
			if _, err := st.StartShift(ctx, u.Username, "demo"); err != nil {
				return err
			}
		}
		secret, err := sealer.Seal([]byte(demoTOTPSecret))
		if err != nil {
			return err
		}
		if err := st.SetTOTP(ctx, u.Username, secret, binder, "demo"); err != nil {
			return err
		}
	}
	// Three crisis homes, one of them full, by working name only.
	for _, h := range []storage.Shelter{
		{Name: "Tisza", Region: "Csongrád-Csanád", IntakePhone: "+36 62 555 0101", FreePlaces: 2},
		{Name: "Duna", Region: "Pest", IntakePhone: "+36 1 555 0102", FreePlaces: 0},
		{Name: "Mecsek", Region: "Baranya", IntakePhone: "+36 72 555 0103", FreePlaces: 1},
	} {
		h.UpdatedBy = "demo"
		if _, err := st.AddShelter(ctx, h); err != nil {
			return err
		}
	}
	return nil
}
