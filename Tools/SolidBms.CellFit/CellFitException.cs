using System;

namespace SolidBms.CellFit;

/// <summary>Input the fitter cannot use, with the reason (and file:line where one line is at fault).</summary>
public sealed class CellFitException : Exception
{
    public CellFitException(string message) : base(message) { }
}
