package main

import (
	"os"

	"github.com/spf13/pflag"

	"copslab/workbench/config"
)

// copslab config: print the effective configuration and its sources.
func init() {
	register(&command{
		name:    "config",
		summary: "print the effective configuration and where each value came from",
		run: func(args []string) error {
			fs := pflag.NewFlagSet("config", pflag.ContinueOnError)
			config.AddFlags(fs)
			if err := fs.Parse(args); err != nil {
				return err
			}
			c, err := config.Load(fs)
			if err != nil {
				return err
			}
			return c.Print(os.Stdout)
		},
	})
}
