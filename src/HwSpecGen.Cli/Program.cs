using System;
using System.CommandLine;
using HwSpecGen.Cli.Commands;

namespace HwSpecGen.Cli;

/// <summary>The <c>hwspec</c> entry point.</summary>
public static class Program
{
    /// <summary>Runs the CLI; exit 0 on success, 1 when the input is not valid hardware data or a check fails, 2 on wrong usage.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the CLI with the given writers (tests use this).</summary>
    public static int Run(string[] args, System.IO.TextWriter output, System.IO.TextWriter error)
    {
        var root = new RootCommand("hwspec: IOMMU hardware formats (AMD-Vi, Intel VT-d, Arm SMMUv3) from YAML specs, and nested-translation simulation")
        {
            FormatsCommand.Create(),
            LayoutCommand.Create(),
            DecodeCommand.Create(),
            EncodeCommand.Create(),
            ValidateCommand.Create(),
            SimulateCommand.Create(),
            DocsCommand.Create(),
            DiffCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"hwspec: {e.Message}");
            }

            return 2;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            error.WriteLine($"hwspec: {ex.Message}");
            return 2;
        }
        catch (DecodeFailure ex)
        {
            error.WriteLine($"hwspec: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"hwspec: {ex.Message}");
            return 2;
        }
    }
}
