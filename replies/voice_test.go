package replies

import "testing"

func TestVoiceFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text  string
		flags []string
		want  Voice
	}{
		{"apu megütött tegnap", nil, VoiceInformal},
		{"16 éves vagyok és félek hazamenni", nil, VoiceInformal},
		{"tizenhat eves vagyok", nil, VoiceInformal},
		{"8.-os osztályos vagyok", nil, VoiceInformal},
		{"I'm 15 and my dad hits me", nil, VoiceInformal},
		{"Мені 14 років", nil, VoiceInformal},
		{"мне 15 лет, папа бьёт", nil, VoiceInformal},
		{"A 16 éves lányomat megütötte a férjem.", nil, VoiceFormal}, // a parent writes
		{"A férjem megütött, két gyerekünk van.", nil, VoiceFormal},
		{"Tisztelt Hölgyem! Tájékoztatást kérnék a válásról.", nil, VoiceFormal},
		{"Semmi különös", []string{FlagMinor}, VoiceInformal},
	} {
		if got := VoiceFor(tc.flags, tc.text); got != tc.want {
			t.Errorf("VoiceFor(%v, %q) = %s, want %s", tc.flags, tc.text, got, tc.want)
		}
	}
}
