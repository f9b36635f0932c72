package triage

import "testing"

func TestLanguage(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, tc := range []struct{ text, want string }{
		{"A férjem tegnap megint megvert, nem tudom hova menjek.", "hu"},
		{"a ferjem tegnap megint megvert nem tudom hova menjek", "hu"},
		{"segitseg", "hu"}, // too short to tell: the service's language
		{"My husband hit me again and I don't know where to go.", "en"},
		// Slovak acutes are no sign of Hungarian when č š ž ť ď stand beside them (row 116).
		{"Vážení kolegovia, sme slovenská mimovládna organizácia pracujúca s obeťami domáceho násilia v pohraničí.", "other"},
		{"Vazeni kolegovia, sme slovenska mimovladna organizacia pracujuca s obetami domaceho nasilia v pohranici.", "other"},
		// Issue 12: German, Romanian, Ukrainian and Russian are told by name.
		{"Mein Mann schlägt mich und ich weiß nicht, wohin.", "de"},
		{"Soțul meu mă bate și nu am unde să merg.", "ro"},
		{"Мій чоловік б'є мене, я не знаю куди йти.", "uk"},
		{"Мой муж меня бьёт, я не знаю, куда идти.", "ru"},
		{"Mój mąż mnie bije i nie wiem, gdzie mam iść z dziećmi teraz.", "other"},
		// The quoted English reply does not make a Hungarian writer English.
		{"Köszönöm, holnap hívom a számot.\n\n> Dear Kata, thank you for your message, we are here for you and your children.", "hu"},
	} {
		if got := r.Triage(Input{Text: tc.text}).Language; got != tc.want {
			t.Errorf("language of %q = %s, want %s", tc.text, got, tc.want)
		}
	}
}
