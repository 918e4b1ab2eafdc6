using System;
using System.Threading;

namespace HwSpecGen.Tests.Shared;

/// <summary>
/// Counts the bytes a piece of code allocates on the calling thread, robustly against the runtime's own one-off
/// allocations: tiered JIT tier-up and on-stack replacement can land inside a measured window (seen in CI on a loaded
/// two-core machine: 7,664 bytes inside an otherwise allocation-free window). The steady state is what the tests are
/// about, so the body is warmed up, then measured in several windows with a pause between them (letting background
/// tier-up finish), and the least count is returned. A body that allocates on every call allocates in every window.
/// </summary>
internal static class AllocationMeter
{
    /// <summary>Returns the least number of bytes <paramref name="body"/> allocated over up to <paramref name="windows"/> windows.</summary>
    /// <param name="body">The code under measurement; run once to warm up, then once per window.</param>
    /// <param name="windows">How many windows to measure at most; measurement stops at the first window with no allocation.</param>
    public static long LeastAllocated(Action body, int windows = 5)
    {
        ArgumentNullException.ThrowIfNull(body);
        body();
        var least = long.MaxValue;
        for (var window = 0; window < windows && least != 0; window++)
        {
            if (window > 0)
            {
                Thread.Sleep(50);
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            body();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
