package storage_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// saveOne stores records in a batch of their own and returns the outcomes.
func saveOne(t *testing.T, st *storage.Store, ack *replies.AckPolicy, recs ...intake.Record) []intake.Outcome {
	t.Helper()
	outs, err := st.Save(context.Background(), "okit/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: recs[len(recs)-1].UID}, recs, ack)
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

// addressesOf lists a case's addresses as field@message, writer or not,
// the default marked with a star.
func addressesOf(t *testing.T, st *storage.Store, caseID int64) []string {
	t.Helper()
	as, err := st.Addresses(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		s := string(a.Field) + "@" + string(a.Digest)
		if !a.Writer {
			s += " (not the writer's)"
		}
		if a.Default {
			s += " *"
		}
		out = append(out, s)
	}
	return out
}

// An answer goes to the case's writer; where the latest message asks for
// answers elsewhere, the operator must pick, and the pick is recorded.
func TestAnswersGoToTheWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	first := rec(1, "a1", "anna", "m1")
	annas := saveOne(t, st, nil, first)[0]
	if diff := cmp.Diff([]string{"from@addr:anna *"}, addressesOf(t, st, annas.CaseID)); diff != "" {
		t.Errorf("addresses of a new case (-want +got):\n%s", diff)
	}
	// She writes again, asking for answers at another address.
	again := rec(2, "a2", "anna", "m2")
	again.ReplyToDigest, again.ReplyToSealed = []byte("addr:anna-safe"), []byte("sealed anna-safe")
	if o := saveOne(t, st, nil, again)[0]; o.CaseID != annas.CaseID {
		t.Fatalf("her second message opened case %d", o.CaseID)
	}
	want := []string{"from@addr:anna", "reply_to@addr:anna-safe (not the writer's)"}
	if diff := cmp.Diff(want, addressesOf(t, st, annas.CaseID)); diff != "" {
		t.Errorf("addresses after a new Reply-To (-want +got):\n%s", diff)
	}
	reply := storage.Reply{CaseRef: annas.CaseRef, Kind: replies.KindAnswer, Template: replies.TemplateInformation,
		TextSealed: []byte("sealed words"), Actor: "user:kata"}
	if _, err := st.QueueReply(ctx, reply); !errors.Is(err, storage.ErrPickAddress) {
		t.Fatalf("an answer without a pick = %v, want ErrPickAddress", err)
	}
	reply.To = storage.AddressRef{MessageID: 999, Field: replies.FieldFrom}
	if _, err := st.QueueReply(ctx, reply); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("an answer to an address not on the case = %v, want ErrNotFound", err)
	}
	reply.To = storage.AddressRef{MessageID: 2, Field: replies.FieldReplyTo}
	id, err := st.QueueReply(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"from@addr:anna", "reply_to@addr:anna-safe *"}, addressesOf(t, st, annas.CaseID)); diff != "" {
		t.Errorf("addresses after the pick (-want +got):\n%s", diff)
	}
	f, err := st.ReplyFacts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if f.ToField != replies.FieldReplyTo || string(f.ToSealed) != "sealed anna-safe" {
		t.Errorf("the reply goes to %s %q, want her Reply-To", f.ToField, f.ToSealed)
	}
	if k := kinds(t, st, annas.CaseID); !slices.Contains(k, string(storage.EventWriterConfirmed)) {
		t.Errorf("no writer_confirmed event: %v", k)
	}
	// Now the default: her next answer needs no pick.
	reply.To = storage.AddressRef{}
	if _, err := st.QueueReply(ctx, reply); err != nil {
		t.Errorf("the next answer: %v", err)
	}
	// A colleague answering from the command line minutes later is asked
	// to confirm, naming the latest mail; confirmed, it goes.
	reply.Actor = "cli:bea"
	var recent *storage.RecentAnswerError
	if _, err := st.QueueReply(ctx, reply); !errors.As(err, &recent) || recent.Actor != "user:kata" {
		t.Fatalf("a second answer minutes after a colleague's = %v, want RecentAnswerError naming kata", err)
	}
	reply.After = recent.OutgoingID
	if _, err := st.QueueReply(ctx, reply); err != nil {
		t.Errorf("the confirmed second answer: %v", err)
	}
}

// Merging a possibly related case into another moves its messages and
// writer; splitting them out again undoes it, and the stranger's next
// mail goes to his own case, not hers.
func TestMergeAndSplit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	hers := saveOne(t, st, nil, rec(1, "a1", "anna", "m1"))[0]
	his := saveOne(t, st, nil, rec(2, "h1", "him", "h1", "m1"))[0]
	if !his.NewCase || len(his.Related) != 1 || his.Related[0].ID != hers.CaseID {
		t.Fatalf("his reply to her message = %+v, want a new case possibly related to hers", his)
	}
	if err := st.MergeCases(ctx, hers.CaseRef, hers.CaseRef, "user:kata"); !errors.Is(err, storage.ErrCannotMove) {
		t.Errorf("merge into itself = %v, want ErrCannotMove", err)
	}
	if err := st.MergeCases(ctx, his.CaseRef, hers.CaseRef, "user:kata"); err != nil {
		t.Fatal(err)
	}
	if err := st.MergeCases(ctx, his.CaseRef, hers.CaseRef, "user:kata"); !errors.Is(err, storage.ErrUnchanged) {
		t.Errorf("the same merge again = %v, want ErrUnchanged", err)
	}
	var status string
	var into int64
	storagetest.Pool(st).QueryRow(ctx, `SELECT status, merged_into FROM cases WHERE id = $1`, his.CaseID).Scan(&status, &into)
	if status != "closed" || into != hers.CaseID {
		t.Errorf("merged case: %s, into %d; want closed into %d", status, into, hers.CaseID)
	}
	// Merged: one writer, whose latest message is his.
	if diff := cmp.Diff([]string{"from@addr:anna", "from@addr:him *"}, addressesOf(t, st, hers.CaseID)); diff != "" {
		t.Errorf("writers after the merge (-want +got):\n%s", diff)
	}
	evs, _ := st.Events(ctx, hers.CaseID)
	var moved []int64
	for _, ev := range evs {
		if ev.Kind == storage.EventCaseMerged {
			for _, m := range ev.Data["messages"].([]any) {
				moved = append(moved, int64(m.(float64)))
			}
		}
	}
	if diff := cmp.Diff([]int64{his.MessageID}, moved); diff != "" {
		t.Fatalf("the merge event's messages (-want +got):\n%s", diff)
	}
	if k := kinds(t, st, his.CaseID); !slices.Contains(k, string(storage.EventCaseMerged)) || !slices.Contains(k, string(storage.EventCaseClosed)) {
		t.Errorf("the merged case's events: %v", k)
	}

	// Undo: split his message out again.
	if _, err := st.SplitCase(ctx, hers.CaseRef, []int64{hers.MessageID, his.MessageID}, triage.DefaultTargets, "user:kata"); !errors.Is(err, storage.ErrCannotMove) {
		t.Errorf("splitting every message of hers = %v, want ErrCannotMove", err)
	}
	if _, err := st.SplitCase(ctx, hers.CaseRef, []int64{12345}, triage.DefaultTargets, "user:kata"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("splitting a message not on the case = %v, want ErrNotFound", err)
	}
	ref, err := st.SplitCase(ctx, hers.CaseRef, moved, triage.DefaultTargets, "user:kata")
	if err != nil {
		t.Fatal(err)
	}
	split, err := st.CaseByRef(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if split.Status != "open" || split.Messages != 1 {
		t.Errorf("the split case: %+v", split)
	}
	if diff := cmp.Diff([]string{"from@addr:anna *"}, addressesOf(t, st, hers.CaseID)); diff != "" {
		t.Errorf("her writers after the split (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"from@addr:him *"}, addressesOf(t, st, split.ID)); diff != "" {
		t.Errorf("his writers after the split (-want +got):\n%s", diff)
	}
	for _, id := range []int64{hers.CaseID, split.ID} {
		if k := kinds(t, st, id); !slices.Contains(k, string(storage.EventCaseSplit)) {
			t.Errorf("case %d has no case_split event: %v", id, k)
		}
	}
	// His next mail, verified, goes to his case, and hers to hers.
	outs := saveOne(t, st, nil, rec(3, "h2", "him", "h2"), rec(4, "a2", "anna", "a2"))
	if outs[0].CaseID != split.ID || outs[1].CaseID != hers.CaseID {
		t.Errorf("after the split, his mail went to %d (want %d) and hers to %d (want %d)", outs[0].CaseID, split.ID, outs[1].CaseID, hers.CaseID)
	}
}

// The acknowledgement policy as the store applies it: every no is a
// recorded reason, the hourly rate raises one alert, and an address that
// cannot be written to fails at once.
func TestAcknowledgementsRecorded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &stoppedClock{t: arrived.Add(10 * time.Minute)}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.now)
	policy := &replies.AckPolicy{Rate: 3}
	writer := func(uid uint32, name string, change func(*intake.Record)) intake.Record {
		r := rec(uid, name, name, name)
		r.InternalDate, r.Recipient, r.RecipientDomain = arrived, replies.AckOK, []byte("domain:example.hu")
		if change != nil {
			change(&r)
		}
		return r
	}
	outs := saveOne(t, st, policy,
		writer(1, "anna", nil),
		writer(2, "bela", func(r *intake.Record) { r.Spam = "X-Spam-Flag" }),
		writer(3, "cili", func(r *intake.Record) { r.InternalDate = arrived.Add(-3 * time.Hour) }),
		writer(4, "dora", func(r *intake.Record) { r.Recipient, r.RecipientDomain = replies.AckBadAddress, nil }),
		writer(5, "ede", func(r *intake.Record) { r.Verdict.Flags = []triage.Flag{triage.FlagAutomated} }),
		writer(6, "fanni", nil),
		writer(7, "gabi", nil),
		writer(8, "hedi", nil),
		writer(9, "ilona", nil),
	)
	// Anna writes again from a new case (another raw message, unverified).
	again := writer(10, "anna2", func(r *intake.Record) { r.SenderDigest, r.Auth.Verified = []byte("addr:anna"), false })
	outs = append(outs, saveOne(t, st, policy, again)...)
	rows, err := storagetest.Pool(st).Query(ctx, `SELECT state || coalesce(':' || reason, '') FROM outgoing ORDER BY answers`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	want := []string{"queued", "suppressed:spam", "suppressed:old", "failed:address", "suppressed:automated",
		"queued", "queued", "suppressed:rate", "suppressed:rate", "suppressed:recipient_recent"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("acknowledgements (-want +got):\n%s", diff)
	}
	var alerts []bool
	for _, o := range outs {
		alerts = append(alerts, o.AckAlert)
	}
	if diff := cmp.Diff([]bool{false, false, false, false, false, false, false, true, false, false}, alerts); diff != "" {
		t.Errorf("alerts raised (-want +got):\n%s", diff)
	}
	var n int
	storagetest.Pool(st).QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = 'alert' AND case_id IS NULL AND data->>'alert' = 'ack_rate'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d ack_rate alert events, want 1", n)
	}
	if k := kinds(t, st, outs[3].CaseID); !slices.Contains(k, string(storage.EventSendFailed)) {
		t.Errorf("the bad address's case has no send_failed event: %v", k)
	}
	// An hour on, the count has fallen: a new writer is acknowledged.
	clock.advance(time.Hour)
	late := writer(11, "jolan", func(r *intake.Record) { r.InternalDate = clock.now() })
	saveOne(t, st, policy, late)
	storagetest.Pool(st).QueryRow(ctx, `SELECT count(*) FROM outgoing WHERE state = 'queued'`).Scan(&n)
	if n != 4 {
		t.Errorf("%d acknowledgements queued an hour later, want 4", n)
	}
}

// A writer in danger now gets no automatic mail: a P1 message, and a
// calm later message of a P1 case, are suppressed with the reason urgent,
// while a P2 writer is acknowledged; a P2 writer in a language the rules
// do not read is not (the reason language).
func TestNoAcknowledgementInDanger(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &stoppedClock{t: arrived.Add(10 * time.Minute)}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.now)
	writer := func(r intake.Record, p triage.Priority, at time.Time) intake.Record {
		r.Verdict.Priority, r.InternalDate, r.Recipient, r.RecipientDomain = p, at, replies.AckOK, []byte("domain:example.hu")
		return r
	}
	unread := writer(rec(4, "ola", "ola", "o1"), triage.P2, arrived)
	unread.Verdict.Language = triage.LanguageOther
	outs := saveOne(t, st, &replies.AckPolicy{},
		writer(rec(1, "kata", "kata", "k1"), triage.P1, arrived),
		writer(rec(2, "lili", "lili", "l1"), triage.P2, arrived),
		unread)
	// A day and more on, Kata answers calmly in her thread.
	clock.advance(25 * time.Hour)
	later := saveOne(t, st, &replies.AckPolicy{}, writer(rec(3, "kata2", "kata", "k2", "k1"), triage.P3, clock.now()))
	if later[0].CaseID != outs[0].CaseID {
		t.Fatalf("Kata's answer went to case %d, want her case %d", later[0].CaseID, outs[0].CaseID)
	}
	rows, err := storagetest.Pool(st).Query(ctx, `SELECT state || coalesce(':' || reason, '') FROM outgoing ORDER BY answers`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"suppressed:urgent", "queued", "suppressed:language", "suppressed:urgent"}, got); diff != "" {
		t.Errorf("acknowledgements (-want +got):\n%s", diff)
	}
}
