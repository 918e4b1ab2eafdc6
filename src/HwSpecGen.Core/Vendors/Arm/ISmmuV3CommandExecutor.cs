using System;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>What consumes the commands of an <see cref="SmmuV3CommandQueue"/>: the SMMU hardware, or a VMM's vSMMU emulation.</summary>
public interface ISmmuV3CommandExecutor
{
    /// <summary>Executes one command (<paramref name="raw"/> as fetched) from slot <paramref name="index"/>; anything but <see cref="CommandError.None"/> stops the queue with that CMDQ_CONS.ERR.</summary>
    CommandError Execute(in CommandSet command, ReadOnlySpan<byte> raw, ulong index);
}
