using System.CommandLine;
using System.Linq;
using HwSpecGen.Hardware;

namespace HwSpecGen.Cli.Commands;

/// <summary><c>hwspec formats</c>: every format as vendor/Name, one a line.</summary>
public static class FormatsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var vendor = new Option<string?>("--vendor") { Description = "Only this vendor (e.g. amd-vi)" };
        var sets = new Option<bool>("--sets") { Description = "List command sets instead of formats" };
        var cmd = new Command("formats", "List every format as vendor/Name") { vendor, sets };
        cmd.SetAction(r =>
        {
            var v = r.GetValue(vendor);
            var names = r.GetValue(sets)
                ? FormatRegistry.Sets.Where(s => v is null || s.Vendor == v).Select(s => s.FullName)
                : FormatRegistry.Formats.Where(f => v is null || f.Layout.Vendor == v).Select(f => f.FullName);
            foreach (var n in names)
            {
                r.InvocationConfiguration.Output.WriteLine(n);
            }

            return 0;
        });
        return cmd;
    }
}
