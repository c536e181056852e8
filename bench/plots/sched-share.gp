# sched-share.gp - scheduler-sim: CPU share of each domain against its
# weight, for every scheduler, beside the weight-proportional fair share.
# Variables set by the harness: datafile ("weight fair credit credit2 rr
# fair_sched" lines), outbase, plottitle.
set title plottitle
set xlabel "domain weight (log scale)"
set ylabel "CPU share (fraction of one pCPU)"
set logscale x 2
set yrange [0:*]
set grid
set key top left
do for [t in "pngcairo svg"] {
	if (t eq "pngcairo") {
		set terminal pngcairo size 900,560 noenhanced font "sans,10"
		set output outbase.".png"
	} else {
		set terminal svg size 900,560 dynamic noenhanced font "sans,10"
		set output outbase.".svg"
	}
	plot datafile using 1:2 with lines lw 2 dt 2 title "fair share (weight-proportional)", \
	     datafile using 1:3 with points pt 7 ps 1.5 title "credit", \
	     datafile using 1:4 with points pt 5 ps 1.2 title "credit2", \
	     datafile using 1:5 with points pt 9 ps 1.2 title "rr", \
	     datafile using 1:6 with points pt 13 ps 1.2 title "fair"
}
