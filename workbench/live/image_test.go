package live

import "testing"

func TestBuildIDNote(t *testing.T) {
	note := []byte{4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, 0xde, 0xad, 0xbe, 0xef}
	id, err := parseBuildIDNote(note)
	if err != nil || len(id) != 4 || id[0] != 0xde {
		t.Fatalf("id %x, %v", id, err)
	}
	for name, edit := range map[string]func([]byte){
		"type":  func(b []byte) { b[8] = 1 },
		"name":  func(b []byte) { b[12] = 'X' },
		"size":  func(b []byte) { b[4] = 40 },
		"empty": func(b []byte) { b[4] = 0 },
	} {
		b := append([]byte(nil), note...)
		edit(b)
		if _, err := parseBuildIDNote(b); err == nil {
			t.Errorf("%s: accepted %x", name, b)
		}
	}
	if _, err := parseBuildIDNote(note[:10]); err == nil {
		t.Error("short note accepted")
	}
}
