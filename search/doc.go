// Package search finds cases by the words of their sealed texts and by
// their facts, in memory only.
//
// The console's process, which holds the private key, opens every case's
// texts once at start (sender, subject, the writer's messages, notes) and
// puts their terms into an Index; live changes put a case in again.
// Nothing of the index is written anywhere: the terms of a sealed text
// tell what it says, so they are kept where the opened texts are kept,
// in the memory of the process that opened them, and gone when it stops.
//
// A text's terms are its words folded as triage folds them (no accents,
// lower case), and their stems, stripped of Hungarian endings (Terms,
// Stem), so "megütött", "megutotte" and "megüt" meet; a query word of four
// letters or more also finds the longer words it begins ("utlev" finds
// "útlevelemet"). Every query word must be found.
// Facts (priority, categories, status, operator, dates) are kept beside
// the words and filter without them.
package search
