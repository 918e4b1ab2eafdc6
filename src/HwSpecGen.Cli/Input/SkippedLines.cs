using System.Collections.Generic;

namespace HwSpecGen.Cli.Input;

/// <summary>Counts dump lines a parser did not recognise, so that the report can say so instead of dropping them silently.</summary>
public sealed class SkippedLines
{
    private int _count;
    private string? _first;

    /// <summary>Notes line <paramref name="number"/>, unless it is blank, a shell prompt or a comment.</summary>
    public void Add(int number, string line)
    {
        var t = line.Trim();
        if (t.Length == 0 || t.StartsWith('#') || t.StartsWith('$'))
        {
            return;
        }

        _count++;
        _first ??= $"line {number}: {(t.Length > 60 ? t[..60] + "…" : t)}";
    }

    /// <summary>Adds a note about the skipped lines to <paramref name="notes"/>, if there were any.</summary>
    public void Report(List<string> notes)
    {
        if (_count > 0)
        {
            notes.Add($"{_count} line(s) not in the expected format were skipped (first: {_first})");
        }
    }
}
