package main

import (
	"os"

	"copslab/workbench/config"
)

// copslab config: print the effective configuration and its sources.
func init() {
	register(&command{
		name:    "config",
		summary: "print the effective configuration and where each value came from",
		run: func(args []string) error {
			fs := newFlags("config", "copslab config [flags]")
			config.AddFlags(fs.FlagSet)
			if err := fs.parse(args, 0); err != nil {
				return err
			}
			c, err := config.Load(fs.FlagSet)
			if err != nil {
				return err
			}
			return c.Print(os.Stdout)
		},
	})
}
