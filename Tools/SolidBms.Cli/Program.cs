using System;
using SolidBms.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
