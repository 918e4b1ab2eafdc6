namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>A descriptor the guest driver can queue (<see cref="IntelGuestQueue.SubmitSync"/>).</summary>
public interface IQiCommand
{
    /// <summary>Writes the descriptor at the queue's tail.</summary>
    void WriteTo(IntelGuestQueue queue);
}
