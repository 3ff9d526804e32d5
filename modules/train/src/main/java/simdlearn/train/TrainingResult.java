package simdlearn.train;

import java.util.List;
import simdlearn.report.EpochLine;
import simdlearn.report.RunLine;
import simdlearn.report.SummaryLine;

/** What a finished run produced: the trained model and every report line. */
public record TrainingResult(Model model, RunLine run, List<EpochLine> epochs,
    SummaryLine summary) {}
