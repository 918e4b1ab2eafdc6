using HwSpecGen.Runtime;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>Wraps a generated descriptor so it can be passed to <see cref="IntelGuestQueue.SubmitSync"/>.</summary>
/// <typeparam name="T">The generated descriptor format.</typeparam>
/// <param name="Descriptor">The descriptor.</param>
public sealed record QiCommand<T>(T Descriptor) : IQiCommand
    where T : struct, IHardwareFormat<T>
{
    /// <inheritdoc/>
    public void WriteTo(IntelGuestQueue queue) => queue.Write(Descriptor);
}
