# sched-timeline.gp - scheduler-sim: a capped domain's CPU share over time
# (one sample per 100 ms) under each scheduler, with its cap.
# Variables set by the harness: datafile ("time credit credit2 rr fair"
# lines), outbase, plottitle, cap (the cap as a fraction of a pCPU).
set title plottitle
set xlabel "simulated time (s)"
set ylabel "CPU share over the last 100 ms"
set yrange [0:1.05]
set grid
set key top right
do for [t in "pngcairo svg"] {
	if (t eq "pngcairo") {
		set terminal pngcairo size 900,560 noenhanced font "sans,10"
		set output outbase.".png"
	} else {
		set terminal svg size 900,560 dynamic noenhanced font "sans,10"
		set output outbase.".svg"
	}
	plot cap with lines lw 1 dt 2 lc rgb "black" title "cap", \
	     datafile using 1:2 with steps lw 2 title "credit", \
	     datafile using 1:3 with steps lw 1 title "credit2", \
	     datafile using 1:4 with steps lw 1 title "rr (no caps)", \
	     datafile using 1:5 with steps lw 1 title "fair (CFS quota)"
}
