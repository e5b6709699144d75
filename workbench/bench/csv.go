package bench

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
)

// WriteCSV writes records as CSV: a header with every key in the order
// first seen, then one row per record ("" where a record lacks a key).
func WriteCSV(path string, rs []Record) error {
	var keys []string
	seen := map[string]bool{}
	for _, r := range rs {
		for _, k := range r.Keys {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(keys)
	for _, r := range rs {
		row := make([]string, len(keys))
		for i, k := range keys {
			row[i] = r.Get(k)
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadCSV reads a file WriteCSV wrote back into records (experiment
// exp), checking that every row has the header's width.
func ReadCSV(path, exp string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no header", path)
	}
	var rs []Record
	for _, row := range rows[1:] {
		rs = append(rs, Record{Exp: exp, Keys: rows[0], Values: row})
	}
	return rs, nil
}

// num is a record's field as a number (NaN-free: missing or bad is 0, false).
func num(r Record, key string) (float64, bool) {
	v, err := strconv.ParseFloat(r.Get(key), 64)
	return v, err == nil
}
