package triage

// latinFold maps U+00C0…U+024F (Latin-1 Supplement, Latin Extended-A and
// -B) to the lower-case ASCII letter left when accents are removed, or '.'
// where there is none (æ, ß, ×). It is the fast path for Hungarian
// accented letters: á é í ó ö ő ú ü ű, and the legacy õ û of Latin-1
// fonts. Generated from Unicode NFKD data.
const latinFold = "" +
	"aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.y" +
	"aaaaaaccccccccdd..eeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll." +
	"...nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzzs" +
	"................................oo.............uu..............." +
	".............aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa...." +
	"aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............" +
	"................"

const latinFirst, latinLast = 0xC0, 0x24F

// foldLatin returns the ASCII letter r folds to, when it has one.
func foldLatin(r rune) (byte, bool) {
	if r < latinFirst || r > latinLast {
		return 0, false
	}
	c := latinFold[r-latinFirst]
	return c, c != '.'
}
